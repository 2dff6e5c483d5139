/** The emulator's HTTP server: routing, the control endpoints, and start/close. */
import { SampleCounter } from './sample-counter.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { authFailure } from './auth.js';
import { handleBatchRoute, type BatchRouteContext } from './batch-route.js';
import { BatchStore } from './batch-store.js';
import { createRateBudget } from './budget.js';
import { handleChatCompletion, type ChatRouteContext } from './chat-route.js';
import { unexpectedEndpoint } from './dialect-errors.js';
import { invalidRequest, notFound, serverError, unparsableBody } from './errors.js';
import { createFaultPicker, type FaultPicker } from './faults.js';
import { readBody, sendReply, type Reply } from './http-io.js';
import { createAnswerDelay } from './latency.js';
import { checkFaultRules, faultsBodySchema, resolveOptions } from './options.js';
import { hashParts } from './random.js';
import { StatsRecorder } from './stats.js';
import type { Emulator, EmulatorOptions, FaultRule } from './types.js';

/** The one model `GET /v1/models` lists (any model name is answered). */
export const emulatedModel = 'gpt-4o-mini';

/** Starts an OpenAI-compatible chat-completions server; resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const startedAt = performance.now();
  const closing = new AbortController();
  const stats = new StatsRecorder(resolved.logLimit);
  const newPicker = (rules: readonly FaultRule[]) => createFaultPicker(rules, hashParts('faults', resolved.seed));
  let picker: FaultPicker = newPicker(resolved.faults);

  const setFaults = (rules: FaultRule[]) => {
    picker = newPicker(checkFaultRules(rules));
  };

  const samples = new SampleCounter();
  const resetStats = () => {
    stats.reset();
    samples.clear();
  };
  const chat: ChatRouteContext = {
    samples,
    options: resolved,
    budget: createRateBudget({ rpm: resolved.rpm, tpm: resolved.tpm }),
    faults: () => picker,
    stats,
    sinceStart: () => Math.round(performance.now() - startedAt),
    answerDelayMs: createAnswerDelay(resolved.latencyMs, resolved.jitterMs, resolved.seed),
    cooldown: { until: Number.NEGATIVE_INFINITY },
    sleep: (ms) =>
      ms <= 0 ? Promise.resolve(!closing.signal.aborted) : sleepFor(ms, true, { signal: closing.signal }).catch(() => false),
  };
  const batches: BatchRouteContext = {
    options: resolved,
    store: new BatchStore({ delayMs: resolved.batchDelayMs, seed: resolved.seed }),
    faults: () => picker,
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/chat/completions') return handleChatCompletion(req, res, chat);
    if (method === 'GET' && path === '/v1/models') {
      return sendReply(res, authFailure(req.headers.authorization, resolved.apiKey) ?? modelList());
    }
    if ((path.startsWith('/v1/files') || path.startsWith('/v1/batches')) && (await handleBatchRoute(req, res, path, batches))) return;
    if (method === 'GET' && path === '/_emulator/stats') return sendReply(res, ok(stats.snapshot()));
    if (method === 'POST' && path === '/_emulator/reset') {
      req.resume();
      resetStats();
      return sendReply(res, ok({ ok: true }));
    }
    if (method === 'POST' && path === '/_emulator/faults') {
      const reply = await faultsUpdate(req, setFaults);
      return sendReply(res, reply);
    }
    req.resume();
    if (resolved.errorDialect === 'lmstudio') {
      // Counted like a chat request: a client with a wrong base URL sends its requests here.
      stats.received();
      res.once('close', () => stats.settled());
      stats.record({ at: chat.sinceStart(), prompt: '', status: 200, outcome: 'unexpected_endpoint' });
      return sendReply(res, unexpectedEndpoint(method, path));
    }
    sendReply(res, notFound(method, req.url ?? '/'));
  };

  // close() resolves only once every response has closed, so stats read after it are final.
  const openResponses = new Set<Promise<unknown>>();
  const server = createServer((req, res) => {
    const closed = once(res, 'close').catch(() => undefined);
    openResponses.add(closed);
    void closed.then(() => openResponses.delete(closed));
    route(req, res).catch(() => {
      // A bug in a handler must not take the server down; the client sees a 500.
      if (res.headersSent) res.destroy();
      else sendReply(res, serverError());
    });
  });
  await listen(server, resolved.port, resolved.host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    stats: () => stats.snapshot(),
    batchStats: () => batches.store.stats(),
    setFaults,
    resetStats,
    close: () => closeServer(server, closing, openResponses),
  };
}

function ok(body: unknown): Reply {
  return { type: 'json', status: 200, body };
}

function modelList(): Reply {
  return ok({
    object: 'list',
    data: [{ id: emulatedModel, object: 'model', created: 1_721_172_741, owned_by: 'verdict-emulator' }],
  });
}

async function faultsUpdate(req: IncomingMessage, setFaults: (rules: FaultRule[]) => void): Promise<Reply> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, 1024 * 1024));
  } catch {
    return unparsableBody();
  }
  const parsed = faultsBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join('.') || null;
    return invalidRequest(`Invalid fault rules: ${issue?.message ?? 'invalid'}${param ? ` at ${param}` : ''}.`, param);
  }
  setFaults(parsed.data.faults);
  return ok({ faults: parsed.data.faults });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: Server, closing: AbortController, openResponses: Set<Promise<unknown>>): Promise<void> {
  closing.abort();
  await new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Hanging requests and idle keep-alive sockets would otherwise hold close() open forever.
    server.closeAllConnections();
  });
  await Promise.all(openResponses);
}
