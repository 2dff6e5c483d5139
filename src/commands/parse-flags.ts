import type * as z from 'zod';
import { FlagError, type UsageError } from '../errors.js';
import { flagName } from '../text/command-line.js';

/** The first problem of a zod parse of command-line flags, as a usage error naming the flag. */
function usageErrorOf(error: { issues: { message: string; path: PropertyKey[] }[] }): UsageError {
  const issue = error.issues[0]!;
  const flag = flagName(String(issue.path[0]));
  return new FlagError(issue.message.startsWith('-') ? issue.message : `--${flag}: ${issue.message}`, String(issue.path[0]));
}

/**
 * Checks a command's flags (commander's values, absent ones undefined) against its schema: the one
 * place every command's flags are typed; the first problem becomes a usage error naming the flag.
 */
export function parseFlags<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw usageErrorOf(parsed.error);
  return parsed.data;
}
