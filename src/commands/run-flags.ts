import { readEnvironment, RunOptions, type Environment } from '../config.js';
import { UsageError } from '../errors.js';
import type { Io } from '../cli.js';

/** The first problem of a zod parse of command-line flags, as a usage error naming the flag. */
export function usageErrorOf(error: { issues: { message: string; path: PropertyKey[] }[] }): UsageError {
  const issue = error.issues[0]!;
  const flag = String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return new UsageError(issue.message.startsWith('-') ? issue.message : `--${flag}: ${issue.message}`);
}

/**
 * `verdict run`'s flags (also taken by `verdict batch submit` and `run --batch`) checked by one
 * schema, with the environment's base URL filled in; commander leaves absent switches undefined.
 */
export function parseRunFlags(raw: Record<string, unknown>, io: Io): { options: RunOptions; env: Environment } {
  const env = readEnvironment(io.env);
  const parsed = RunOptions.safeParse({
    ...raw,
    dataset: raw.dataset ?? '',
    prompt: raw.prompt ?? '',
    force: raw.force === true,
    resume: raw.resume === true,
    retryErrors: raw.retryErrors === true,
    gateOnInterval: raw.gateOnInterval === true,
    dryRun: raw.dryRun === true,
    quiet: raw.quiet === true,
    progress: raw.progress !== false,
    baseUrl: raw.baseUrl ?? env.baseUrl,
    cacheDir: raw.cacheDir ?? env.cacheDir,
    // Commander names the repeatable --field after the flag; the options call them fields.
    fields: raw.field ?? [],
  });
  if (!parsed.success) throw usageErrorOf(parsed.error);
  return { options: parsed.data, env };
}

/** Replaces the API key wherever a server echoed it back, so it is never printed or written. */
export function redactor(secret: string | undefined): (text: string) => string {
  if (!secret || secret.length < 8) return (text) => text;
  return (text) => text.split(secret).join('[redacted]');
}
