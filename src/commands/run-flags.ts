import * as z from 'zod';
import { baseUrl, readEnvironment, RunOptions, type Environment } from '../config.js';
import type { Io } from '../io.js';
import { DEFAULT_POLL_MS } from './batch-definition.js';
import { parseFlags } from './parse-flags.js';

const POLL_INTERVAL = '--poll-interval must be a number of milliseconds, 0 or more';
const BATCH_SIZE = '--batch-size must be a whole number from 1 to 50000';
const API_TIMEOUT = '--timeout must be a whole number of milliseconds, at least 1';

const pollInterval = z.coerce.number({ error: POLL_INTERVAL }).min(0, POLL_INTERVAL).default(DEFAULT_POLL_MS);
const apiTimeout = z.coerce.number({ error: API_TIMEOUT }).int(API_TIMEOUT).min(1, API_TIMEOUT);
// Batch commands take an empty --base-url as none given: the URL the batches were submitted to.
const batchBaseUrl = z.preprocess((value) => (value === '' ? undefined : value), baseUrl('--base-url').optional());

/** `verdict run`'s flags, with those of `--batch` (also taken by `verdict batch submit`). */
export const RunFlags = RunOptions.extend({
  batch: z.boolean().default(false),
  pollInterval,
  batchSize: z.coerce.number({ error: BATCH_SIZE }).int(BATCH_SIZE).min(1, BATCH_SIZE).max(50_000, BATCH_SIZE).optional(),
});
export type RunFlags = z.infer<typeof RunFlags>;

/**
 * `verdict run`'s flags (also `verdict batch submit`'s) checked by one schema, with the
 * environment's base URL filled in; commander leaves absent switches undefined.
 */
export function parseRunFlags(raw: Record<string, unknown>, io: Io): { options: RunFlags; env: Environment } {
  const env = readEnvironment(io.env);
  const options = parseFlags(RunFlags, {
    ...raw,
    dataset: raw.dataset ?? '',
    prompt: raw.prompt ?? '',
    baseUrl: raw.baseUrl ?? env.baseUrl,
    cacheDir: raw.cacheDir ?? env.cacheDir,
    // Commander names the repeatable --field and --judge after the flags; the options use plurals.
    fields: raw.field ?? [],
    judges: raw.judge ?? [],
  });
  return { options, env };
}

/** `verdict batch status`'s flags. */
export const BatchStatusFlags = z.object({
  out: z.string().min(1).default('results.jsonl'),
  json: z.boolean().default(false),
  baseUrl: batchBaseUrl,
  timeout: apiTimeout.default(60_000),
});
export type BatchStatusFlags = z.infer<typeof BatchStatusFlags>;

/** `verdict batch collect`'s flags: how to judge the results, as `verdict run` takes them, and how to wait. */
export const BatchCollectFlags = RunOptions.pick({ failUnder: true, minPassRate: true, maxErrorRate: true, gateOnInterval: true, price: true, summary: true, progress: true, quiet: true, force: true }).extend({
  out: z.string().min(1).default('results.jsonl'),
  wait: z.boolean().default(false),
  pollInterval,
  baseUrl: batchBaseUrl,
  timeout: apiTimeout.default(600_000),
});
export type BatchCollectFlags = z.infer<typeof BatchCollectFlags>;

/** Replaces the API keys (the run's, a panel's judges') wherever a server echoed one back, so none is ever printed or written. */
export function redactor(...secrets: (string | undefined)[]): (text: string) => string {
  const kept = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 8);
  if (kept.length === 0) return (text) => text;
  return (text) => kept.reduce((scrubbed, secret) => scrubbed.split(secret).join('[redacted]'), text);
}

/** The keys a run may send: the run's own and each judge's (`--judge …,key=NAME`), for the redactor. */
export function runSecrets(options: Pick<RunFlags, 'judges'>, env: Environment): (string | undefined)[] {
  return [env.apiKey, ...options.judges.map((judge) => (judge.keyVariable ? env.keyIn?.(judge.keyVariable) : undefined))];
}
