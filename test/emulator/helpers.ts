/** Helpers for the emulator's HTTP tests: a fresh emulator per test, the real client, raw requests. */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import * as z from 'zod';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

/** A judge's answer: reasoning and an integer score from 1 to 5. */
export const gradeSchema = z.object({ reasoning: z.string(), score: z.int().min(1).max(5) });
/** `gradeSchema` as a strict json_schema response_format, as the SDK helper sends it. */
export const gradeFormat = zodResponseFormat(gradeSchema, 'grade');

/** Runs `body` against a fresh emulator and always closes it. */
export async function withEmulator<T>(options: EmulatorOptions, body: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator(options);
  try {
    return await body(emu);
  } finally {
    await emu.close();
  }
}

/** The real SDK client pointed at the emulator, with its own retries off. */
export function clientFor(emu: Emulator, extra: { apiKey?: string; timeout?: number } = {}): OpenAI {
  return new OpenAI({ apiKey: extra.apiKey ?? 'sk-test-key', baseURL: emu.url, maxRetries: 0, timeout: extra.timeout ?? 5000 });
}

/** One user message through the SDK. */
export function ask(client: OpenAI, content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) {
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra });
}

/** A raw chat-completion POST, for what the SDK would not send. */
export function post(emu: Emulator, body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test-key' }) {
  return fetch(`${emu.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

/** Polls until `condition` holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
