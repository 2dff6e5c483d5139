import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseEnv } from 'node:util';
import * as z from 'zod';
import { ShardSpec } from './dataset/shard.js';
import { REASONING_EFFORTS } from './dialect/model-families.js';
import { stripBom } from './dataset/source.js';
import { UsageError } from './errors.js';
import { parsePriceSpec } from './pricing/prices.js';
import { compareMetric, failIfWorse } from './stats/comparison-schema.js';
import { PanelAggregate } from './results/record.js';
import { splitModelAndUrl } from './results/judge-names.js';

const count = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`);
const fraction = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).min(0, `${what} must be between 0 and 1`).max(1, `${what} must be between 0 and 1`);

/**
 * The API's base URL: http or https, and no credentials. fetch refuses a URL with a user or password
 * in it (WHATWG Fetch, "Request" constructor), so every request would fail as a connection error;
 * a message shows the URL with them blanked out, never as given.
 */
export function baseUrl(source: string) {
  return z.string().superRefine((text, ctx) => {
    const problem = baseUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `${source} ${JSON.stringify(redactCredentials(text))}: ${problem}` });
  });
}

/** A base URL from outside a zod schema, checked the same way; a UsageError naming where it came from. */
function checkedBaseUrl(text: string | undefined, source: string): string | undefined {
  if (text === undefined) return undefined;
  const checked = baseUrl(source).safeParse(text);
  if (!checked.success) throw new UsageError(checked.error.issues[0]!.message);
  return checked.data;
}

function baseUrlProblem(text: string): string | undefined {
  if (!URL.canParse(text)) return 'not a URL; give one such as http://127.0.0.1:8787/v1';
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') {
    return 'credentials in the URL are not supported; give the URL without the user name and password, and the API key in OPENAI_API_KEY (in the environment or .env)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not an http:// or https:// URL; give one such as http://127.0.0.1:8787/v1';
  return undefined;
}

/** A URL (or what was meant as one) with anything before an "@" in its authority blanked out. */
export function redactCredentials(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0] ?? '';
  const authority = text.slice(scheme.length).split(/[/?#\\]/, 1)[0]!;
  const at = authority.lastIndexOf('@');
  return at === -1 ? text : `${scheme}[redacted]${text.slice(scheme.length + at)}`;
}

/** One judge of a panel: `--judge <model>[@<base-url>][,key=<ENV_VAR>]`, or an entry of `judges:` in verdict.yaml. */
export interface JudgeSpec {
  model: string;
  /** Absent: the run's base URL (--base-url, else OPENAI_BASE_URL, else OpenAI). */
  baseUrl?: string;
  /** The environment variable holding this judge's API key; absent: the run's key (OPENAI_API_KEY). */
  keyVariable?: string;
}

const KEY_SUFFIX = /,key=([^,@]*)$/;
// Capitals, digits and _, as environment variables are named: most providers' keys have lower-case
// letters (gsk_…, hex), so one pasted in place of its variable's name is refused, not echoed.
const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A `--judge` value as a JudgeSpec, or what is wrong with it. */
function judgeSpecOf(text: string): JudgeSpec | string {
  const key = KEY_SUFFIX.exec(text);
  // Never echoed: a key pasted in place of its variable's name must not reach the terminal.
  if (key && !VARIABLE_NAME.test(key[1]!)) return 'key= takes the name of an environment variable (capital letters, digits and _, such as GROQ_API_KEY) that holds the key, never the key itself';
  const { model, baseUrl } = splitModelAndUrl(key ? text.slice(0, key.index) : text);
  if (model.trim() === '' || model.includes(',')) return 'give the judge as <model>[@<base-url>][,key=<ENV_VAR>], e.g. gpt-4o-mini@http://127.0.0.1:8787/v1,key=LOCAL_KEY';
  const problem = baseUrl === undefined ? undefined : baseUrlProblem(baseUrl);
  if (problem) return `${JSON.stringify(redactCredentials(baseUrl!))}: ${problem}`;
  return { model: model.trim(), ...(baseUrl ? { baseUrl } : {}), ...(key ? { keyVariable: key[1]! } : {}) };
}

/** A `--judge` value as a message may quote it: the URL's credentials blanked out, and nothing after key=. */
function shownJudge(text: string): string {
  const { model, baseUrl } = splitModelAndUrl(text.replace(/,key=.*$/s, ''));
  return `${model}${baseUrl === undefined ? '' : `@${redactCredentials(baseUrl)}`}${KEY_SUFFIX.test(text) ? ',key=…' : ''}`;
}

/**
 * `verdict run`'s options after parsing: the command line's strings are coerced and checked here,
 * and each message names the flag at fault.
 */
export const RunOptions = z.object({
  dataset: z.string().min(1, '--dataset is required'),
  prompt: z.string().min(1, '--prompt is required'),
  out: z.array(z.string().min(1)).min(1).default(['results.jsonl']),
  model: z.string().min(1).optional(),
  /** `--judge`, repeatable: the judges of a panel (one is the same as -m with --base-url). */
  judges: z
    .array(z.string())
    .default([])
    .transform((texts, ctx) =>
      texts.map((text) => {
        const spec = judgeSpecOf(text);
        if (typeof spec === 'string') ctx.addIssue({ code: 'custom', message: `--judge ${JSON.stringify(shownJudge(text))}: ${spec}` });
        return spec as JudgeSpec;
      }),
    ),
  /** `--aggregate`: how a panel's votes become the row's grade; absent: mean for score prompts, else majority. */
  aggregate: z.enum(PanelAggregate.options, { error: '--aggregate takes majority, mean or median' }).optional(),
  concurrency: count('--concurrency').min(1, '--concurrency must be at least 1').max(1024, '--concurrency must be at most 1024').default(8),
  rpm: z.coerce.number({ error: '--rpm must be a number' }).positive('--rpm must be greater than 0').optional(),
  tpm: z.coerce.number({ error: '--tpm must be a number' }).positive('--tpm must be greater than 0').optional(),
  maxRetries: count('--max-retries').min(0, '--max-retries must be 0 or more').max(100, '--max-retries must be at most 100').default(6),
  timeout: count('--timeout').min(1, '--timeout must be at least 1 ms').default(60_000),
  idField: z.string().min(1).optional(),
  limit: count('--limit').min(1, '--limit must be at least 1').optional(),
  pair: z
    .string()
    .transform((text, ctx) => {
      const fields = text.split(',').map((field) => field.trim());
      if (fields.length !== 2 || fields.some((field) => field === '') || fields[0] === fields[1]) {
        ctx.addIssue({ code: 'custom', message: '--pair takes two different field names, a,b (e.g. output_1,output_2)' });
        return z.NEVER;
      }
      return { a: fields[0]!, b: fields[1]! };
    })
    .optional(),
  fields: z
    .array(z.string())
    .default([])
    .transform((specs, ctx) => {
      const aliases: Record<string, string> = {};
      for (const spec of specs) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/.exec(spec.trim());
        if (!match) {
          ctx.addIssue({ code: 'custom', message: `--field takes variable=field, e.g. document=article (got "${spec}")` });
          return z.NEVER;
        }
        aliases[match[1]!] = match[2]!;
      }
      return aliases;
    }),
  repeat: count('--repeat').min(1, '--repeat must be at least 1').max(100, '--repeat must be at most 100').default(1),
  shard: ShardSpec.optional(),
  force: z.boolean().default(false),
  resume: z.boolean().default(false),
  retryErrors: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  failUnder: z.coerce.number({ error: '--fail-under must be a number' }).optional(),
  minPassRate: fraction('--min-pass-rate').optional(),
  maxErrorRate: fraction('--max-error-rate').default(0.05),
  gateOnInterval: z.boolean().default(false),
  maxCost: z.coerce.number({ error: '--max-cost must be a number of US dollars' }).positive('--max-cost must be greater than 0').optional(),
  price: z
    .string()
    .transform((text, ctx) => {
      const price = parsePriceSpec(text);
      if (!price) ctx.addIssue({ code: 'custom', message: '--price takes input/output[/cached] in USD per million tokens, e.g. 0.15/0.60' });
      return price ?? z.NEVER;
    })
    .optional(),
  reasoningEffort: z.enum(REASONING_EFFORTS, { error: `--reasoning-effort takes one of ${REASONING_EFFORTS.join(', ')}` }).optional(),
  summary: z.string().min(1).optional(),
  /** A results file to compare the run's with at its end; --fail-if-worse, --metric and --markdown go with it. */
  baseline: z.string().min(1).optional(),
  failIfWorse: failIfWorse.optional(),
  metric: compareMetric.optional(),
  markdown: z.string().min(1).optional(),
  /** The `-o *.html` reports, written from the results once the run ends; listed so their paths are checked up front. */
  reports: z.array(z.string().min(1)).default([]),
  baseUrl: baseUrl('--base-url').optional(),
  /** --cache (true) caches at any temperature, --no-cache (false) never; absent: at temperature 0 and for reasoning models. */
  cache: z.boolean().optional(),
  /** Where the response cache lives; absent (no --cache-dir and no cache home in the environment): no cache. */
  cacheDir: z.string().min(1, '--cache-dir must not be empty').optional(),
  progress: z.boolean().default(true),
  quiet: z.boolean().default(false),
});
export type RunOptions = z.infer<typeof RunOptions>;

/** What verdict reads from the environment. */
export interface Environment {
  apiKey?: string;
  baseUrl?: string;
  /** The file GitHub Actions renders as the job's summary (`GITHUB_STEP_SUMMARY`); the run appends to it. */
  stepSummaryPath?: string;
  /** The response cache's default home: `$XDG_CACHE_HOME/verdict`, else `$HOME/.cache/verdict`; absent when neither is set. */
  cacheDir?: string;
  /** The value of a panel judge's key variable (`--judge …,key=NAME`), from the environment or .env; never printed. */
  keyIn?: (variable: string) => string | undefined;
}

/**
 * The only reader of process.env and `.env`. Variables already set win over the file, as with
 * `node --env-file`. The key is returned to the caller and never printed.
 */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Environment {
  let fromFile: NodeJS.Dict<string> = {};
  try {
    fromFile = parseEnv(envFileText(readFileSync(dotenvPath)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const pick = (name: string) => nonEmpty(env[name]) ?? nonEmpty(fromFile[name]);
  const url = checkedBaseUrl(pick('OPENAI_BASE_URL'), nonEmpty(env.OPENAI_BASE_URL) === undefined ? `OPENAI_BASE_URL in ${dotenvPath}` : 'OPENAI_BASE_URL');
  // The step summary is the runner's, so it is taken from the environment only, never from .env.
  return { apiKey: pick('OPENAI_API_KEY'), baseUrl: url, stepSummaryPath: nonEmpty(env.GITHUB_STEP_SUMMARY), cacheDir: defaultCacheDir(env), keyIn: pick };
}

/** Stops with the one message for a missing key, before anything is sent (a run or a Batch API call). */
export function requireApiKey(apiKey: string | undefined): asserts apiKey is string {
  if (!apiKey) throw new UsageError('OPENAI_API_KEY is not set', 'set it in the environment or in a .env file in this directory');
}

/**
 * A .env file's text. Editors on Windows save UTF-8 with a byte order mark, which would become part
 * of the first name; Windows PowerShell 5's `>` writes UTF-16 LE.
 */
function envFileText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return stripBom(bytes.toString('utf8'));
}

/**
 * The XDG Base Directory rule (specifications.freedesktop.org/basedir-spec): `$XDG_CACHE_HOME`, else
 * `$HOME/.cache` (on Windows, `%LOCALAPPDATA%`). Read from the environment only, never from .env nor
 * the password database, so a process with no home of its own (a test's clean environment) caches nothing.
 */
function defaultCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = nonEmpty(env.XDG_CACHE_HOME);
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'verdict');
  const home = nonEmpty(env.HOME);
  if (home !== undefined) return join(home, '.cache', 'verdict');
  const local = nonEmpty(env.LOCALAPPDATA);
  return local === undefined ? undefined : join(local, 'verdict', 'cache');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
