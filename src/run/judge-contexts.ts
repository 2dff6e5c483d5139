import type { RunOptions } from '../config.js';
import { RequestDialect } from '../dialect/params.js';
import type { GradeContext } from '../judge/grade-row.js';
import { DEFAULT_BACKOFF } from '../scheduler/backoff.js';
import type { BudgetExhaustedError, CostBudget } from '../scheduler/cost-budget.js';
import { RequestGate } from '../scheduler/request-gate.js';
import type { RunEvent } from './events.js';
import type { PlannedJudge } from './panel-plan.js';
import type { PreparedRun, RunDependencies } from './run-eval.js';

/** What every judge of a run shares: the options, the signals, the counters, the one cost budget. */
export interface SharedWiring {
  options: RunOptions;
  prepared: PreparedRun;
  deps: RunDependencies;
  emit: (event: RunEvent) => void;
  redact: (text: string) => string;
  signal: AbortSignal;
  now: () => number;
  /** Shards started together share one key: each paces to this part of the learned limits. */
  share: number;
  counters: { requests: number; rateLimited: number };
  budget?: CostBudget;
  onBudgetExhausted: (error: BudgetExhaustedError) => void;
}

/** A judge ready to grade: its context for gradeRow, and the parts the run reads back at its end. */
export interface OpenJudge {
  judge: PlannedJudge;
  ctx: GradeContext;
  gate: RequestGate;
  dialect: RequestDialect;
  cached: boolean;
}

/** The judges ready to grade, and what closes the run's cache store once the run has ended. */
export interface OpenJudges {
  judges: OpenJudge[];
  closeCache: () => void;
}

/**
 * One context per judge: its own client (base URL and key), its own gate (rate limits learned from
 * its own server's headers), its own dialect and structured-output state (what its server takes),
 * and the response cache keyed by its URL. The retry layer, the cost budget, the signals and the
 * cache's store (one index, one pack for the whole panel) are the run's.
 */
export async function openJudges(judges: readonly PlannedJudge[], keys: readonly string[], shared: SharedWiring): Promise<OpenJudges> {
  // The SDK is loaded only here, where requests are sent: a dry run never pays for it.
  const { createJudgeClient } = await import('../judge/client.js');
  const { options, prepared, deps, emit } = shared;
  const panel = judges.length > 1;
  // A panel says which judge a note or a wait is about; a lone judge's are said as before.
  const about = (judge: PlannedJudge, text: string) => (panel ? `judge ${judge.name}: ${text}` : text);
  const cacheStore = await openCacheStore(options, (message) => emit({ type: 'note', message }));
  const opened = await Promise.all(
    judges.map(async (judge, i): Promise<OpenJudge> => {
      const gate = new RequestGate({
        maxConcurrency: options.concurrency,
        rpm: options.rpm,
        tpm: options.tpm,
        share: shared.share,
        now: shared.now,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        onWait: (wait) => emit({ type: 'waiting', reason: wait.reason, ms: wait.ms, ...(wait.why ? { why: about(judge, shared.redact(wait.why)) } : {}) }),
        // The progress line shows one set of limits: the first judge's.
        onChange: (state) => (i === 0 ? emit({ type: 'limits', ...state }) : undefined),
      });
      // Said once each: a parameter dropped or renamed for this server, a larger budget for reasoning.
      const dialect = new RequestDialect(judge.params, (adaptation) => emit({ type: 'note', message: about(judge, adaptation.message) }));
      // `requests` counts what reached a server, not requests a gate let through that a stop cancelled.
      const client = createJudgeClient({ apiKey: keys[i]!, baseURL: judge.baseUrl, timeoutMs: options.timeout, onSent: () => shared.counters.requests++ });
      const cache = cacheStore?.forJudge(client.baseURL);
      const { prompt, spec, responseFormat, logprobs } = prepared;
      const params = judge.params;
      const ctx: GradeContext = {
        // Each judge's requests are priced by its own model, against the run's one budget.
        ...(shared.budget ? { budget: judge.price ? shared.budget.withPrice(judge.price) : shared.budget } : {}),
        onBudgetExhausted: shared.onBudgetExhausted,
        client,
        ...(cache ? { cache } : {}),
        spec,
        responseFormat,
        ...(logprobs ? { logprobs: { scale: prompt.settings.scale, pass: prompt.settings.pass, criteria: prompt.settings.criteria } } : {}),
        judge: { model: judge.model, prompt: prompt.name, prompt_sha: prompt.sha, ...(params.reasoningEffort ? { reasoning_effort: params.reasoningEffort } : {}) },
        dialect,
        timeoutMs: options.timeout,
        maxRetries: options.maxRetries,
        backoff: { ...DEFAULT_BACKOFF, random: Math.random, ...deps.backoff },
        structured: { enabled: true },
        signal: shared.signal,
        now: shared.now,
        sleep: deps.sleep,
        gate,
        onRequest: ({ tokens }) => emit({ type: 'request', tokens }),
        onStructuredOutputsOff: () => emit({ type: 'structured-outputs-off' }),
        onRateLimited: () => {
          shared.counters.rateLimited++;
          emit({ type: 'rate-limited' });
        },
      };
      return { judge, ctx, gate, dialect, cached: cache !== undefined };
    }),
  );
  return { judges: opened, closeCache: () => cacheStore?.store.close() };
}

/**
 * The run's cache store, on unless --no-cache, when there is a directory for it (--cache-dir, else the
 * user's cache home), and a maker of each judge's cache on it, keyed by the judge's URL.
 */
async function openCacheStore(options: RunOptions, onNote: (message: string) => void) {
  const { cachePolicyOf } = await import('../cache/policy.js');
  const policy = cachePolicyOf(options.cache);
  if (policy === 'off' || options.cacheDir === undefined) return undefined;
  const [{ PackStore }, { ResponseCache }] = await Promise.all([import('../cache/pack-store.js'), import('../cache/response-cache.js')]);
  const store = new PackStore({ dir: options.cacheDir, onWriteFailure: onNote });
  return { store, forJudge: (baseUrl: string) => new ResponseCache({ store, baseUrl, policy }) };
}
