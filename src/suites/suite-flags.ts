import { SUITE_KEYS, type Suite, type SuiteKey } from './suite-file.js';
import { flagName } from '../text/command-line.js';

/** `verdict run`'s flags as commander hands them to the action: keys in camelCase, values as typed. */
export type RawFlags = Record<string, unknown>;

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The raw flag a suite key sets: its name in camelCase, but `fields` and `judges` are the repeatable --field and --judge. */
function rawKeyOf(key: SuiteKey): string {
  return key === 'fields' ? 'field' : key === 'judges' ? 'judge' : camel(key);
}

/** A judge of a suite as its --judge value: a mapping is written as the text form says it. */
function judgeFlag(judge: string | { model: string; base_url?: string; api_key_env?: string }): string {
  if (typeof judge === 'string') return judge;
  return `${judge.model}${judge.base_url === undefined ? '' : `@${judge.base_url}`}${judge.api_key_env === undefined ? '' : `,key=${judge.api_key_env}`}`;
}

/** A suite's values as the raw flags of the equivalent command line (`fields` as `--field var=path`, `judges` as `--judge`, `out` as a list). */
export function suiteFlags(suite: Suite): RawFlags {
  const raw: RawFlags = {};
  for (const [key, value] of Object.entries(suite) as [SuiteKey, Suite[SuiteKey]][]) {
    if (value === undefined) continue;
    if (key === 'fields') raw.field = Object.entries(value as Record<string, string>).map(([name, path]) => `${name}=${path}`);
    else if (key === 'judges') raw.judge = (value as Parameters<typeof judgeFlag>[0][]).map(judgeFlag);
    else if (key === 'out') raw.out = typeof value === 'string' ? [value] : value;
    else raw[rawKeyOf(key)] = value;
  }
  return raw;
}

/**
 * One suite's flags: commander's defaults, then the suite's values, then what the command line gave,
 * which wins for every suite. `given` names the raw keys the command line set.
 */
export function mergeFlags(commandLine: RawFlags, given: ReadonlySet<string>, suite: Suite): RawFlags {
  const fromCommandLine = Object.fromEntries(Object.entries(commandLine).filter(([key]) => given.has(key)));
  return { ...commandLine, ...suiteFlags(suite), ...fromCommandLine };
}

/**
 * The suite key behind a parsed option (a FlagError's): the option in snake_case, but `fields`
 * comes from `fields` and `reports` (the `-o *.html` files) from `out`.
 */
export function suiteKeyOfOption(option: string): SuiteKey | undefined {
  const key = option === 'reports' ? 'out' : option.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return (SUITE_KEYS as string[]).includes(key) ? (key as SuiteKey) : undefined;
}

/** The raw flag a suite key is set by on the command line (`out` for `-o`, `field` for `fields`). */
export function commandLineKeyOf(key: SuiteKey): string {
  return rawKeyOf(key);
}

/**
 * The arguments of the equivalent `verdict run`: the suite's keys in file order, then the flags the
 * command line added, each with its merged value; long flag names, so the line reads like the file.
 */
export function equivalentArgs(suite: Suite, merged: RawFlags, given: ReadonlySet<string>): string[] {
  const keys = [...new Set([...Object.keys(suiteFlags(suite)), ...given])].filter((key) => key !== 'config' && key !== 'suite');
  return keys.flatMap((key) => flagArgs(key, merged[key]));
}

function flagArgs(key: string, value: unknown): string[] {
  const flag = `--${flagName(key)}`;
  if (value === true) return [flag];
  if (value === false) return key === 'progress' ? ['--no-progress'] : [];
  if (Array.isArray(value)) return value.flatMap((item) => [flag, String(item)]);
  return value === undefined ? [] : [flag, String(value)];
}
