import * as z from 'zod';

/** The file `verdict run` reads its suites from when no --dataset is given. */
export const DEFAULT_SUITES_FILE = 'verdict.yaml';

// What a value is, as a message says it: every key of a suite takes one YAML type.
const KINDS = { string: 'text', number: 'a number', boolean: 'true or false' } as const;

/** A YAML value of one type: a message that says what is missing or what was given instead. */
function typed<K extends keyof typeof KINDS>(kind: K) {
  const error = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `takes ${KINDS[kind]}, not ${describe(issue.input)}`);
  if (kind === 'number') return z.number({ error });
  if (kind === 'boolean') return z.boolean({ error });
  return z.string({ error }).min(1, 'is empty');
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/**
 * One suite: the `verdict run` flags it stands for, each named as its flag without the dashes
 * (`max_error_rate` for `--max-error-rate`) and holding the same value. The invocation's own
 * switches (--force, --resume, --dry-run, --quiet…) stay on the command line. Strict: a misspelt
 * key would otherwise silently drop a gate.
 */
export const Suite = z.strictObject({
  dataset: typed('string'),
  prompt: typed('string'),
  model: typed('string').optional(),
  /** `--out`: one file or a list (results files and .html reports). */
  out: z.union([typed('string'), z.array(typed('string')).min(1, 'lists no file')], { error: 'takes a file or a list of files' }).optional(),
  summary: typed('string').optional(),
  markdown: typed('string').optional(),
  /** `--field var=path`, as a mapping of var to path. */
  fields: z.record(z.string(), typed('string'), { error: 'takes a mapping of prompt variable to row field, e.g. document: article' }).optional(),
  pair: typed('string').optional(),
  id_field: typed('string').optional(),
  limit: typed('number').optional(),
  repeat: typed('number').optional(),
  shard: typed('string').optional(),
  concurrency: typed('number').optional(),
  rpm: typed('number').optional(),
  tpm: typed('number').optional(),
  max_retries: typed('number').optional(),
  timeout: typed('number').optional(),
  reasoning_effort: typed('string').optional(),
  base_url: typed('string').optional(),
  max_cost: typed('number').optional(),
  price: typed('string').optional(),
  fail_under: typed('number').optional(),
  min_pass_rate: typed('number').optional(),
  gate_on_interval: typed('boolean').optional(),
  max_error_rate: typed('number').optional(),
  baseline: typed('string').optional(),
  fail_if_worse: typed('number').optional(),
  metric: typed('string').optional(),
  /** `--judge`, once per judge of a panel: `model[@base-url][,key=VAR]`, or a mapping of model, base_url and api_key_env. */
  judges: z
    .array(
      z.union([typed('string'), z.strictObject({ model: typed('string'), base_url: typed('string').optional(), api_key_env: typed('string').optional() })], {
        error: 'takes judges, each a text such as gpt-4o-mini@http://127.0.0.1:8787/v1,key=LOCAL_KEY or a mapping of model, base_url and api_key_env',
      }),
      { error: 'takes a list of judges' },
    )
    .min(1, 'lists no judge')
    .optional(),
  aggregate: typed('string').optional(),
});
export type Suite = z.infer<typeof Suite>;

/** A key of a suite. */
export type SuiteKey = keyof Suite;

/** The keys a suite takes, in the order the docs list them. */
export const SUITE_KEYS = Object.keys(Suite.shape) as SuiteKey[];

// A letter first: an integer-like name would be reordered by JavaScript, and suites run in file order.
const SUITE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The whole file: named suites, run in the order written. */
export const SuiteFile = z.strictObject(
  {
    suites: z
      .record(z.string().regex(SUITE_NAME, 'a suite name starts with a letter, then letters, digits, ".", "_" or "-"'), Suite, {
        error: (issue) => {
          if (issue.code !== 'invalid_type') return undefined;
          return issue.input === undefined ? 'is required: a mapping of suite names to suites' : 'takes a mapping of suite names to suites';
        },
      })
      .refine((suites) => Object.keys(suites).length > 0, 'names no suite'),
  },
  { error: 'the file holds a mapping with a suites: key' },
);
export type SuiteFile = z.infer<typeof SuiteFile>;
