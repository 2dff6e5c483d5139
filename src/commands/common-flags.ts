import { Option } from 'commander';
import { DEFAULT_SYSTEM_FIELDS } from '../stats/rank-defaults.js';

/** A repeatable flag's values, in the order given (`-o a.jsonl -o b.csv`). */
export const repeatable = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * The flags more than one command takes, each defined once so that it reads the same in every
 * --help (and in the flag reference made from them). A fresh Option each call: commander keeps it.
 */
export const commonFlag = {
  prompt: () => new Option('-p, --prompt <file|name>', 'a judge prompt file, or the name of a built-in prompt'),
  model: () => new Option('-m, --model <id>', "judge model (default: the prompt's model, else gpt-4o-mini)"),
  idField: () => new Option('--id-field <name>', 'the row field that identifies a row (default: id, else the row number)'),
  limit: () => new Option('--limit <n>', 'grade only the first n rows'),
  reasoningEffort: () =>
    new Option('--reasoning-effort <effort>', "reasoning models: none, minimal, low, medium, high, xhigh or max (default: the prompt's reasoning_effort, else the model's)"),
  failUnder: () => new Option('--fail-under <score>', 'exit 1 when the mean score is below this'),
  minPassRate: () => new Option('--min-pass-rate <rate>', 'exit 1 when the pass rate (0..1) is below this'),
  gateOnInterval: () => new Option('--gate-on-interval', 'judge --fail-under and --min-pass-rate on the lower bound of the 95% interval'),
  maxErrorRate: () => new Option('--max-error-rate <rate>', 'exit 3 when more rows than this share (0..1) end in error').default('0.05'),
  summary: () => new Option('--summary <file>', 'also write the summary as JSON'),
  baseUrl: () => new Option('--base-url <url>', 'API base URL (default: OPENAI_BASE_URL, else OpenAI)'),
  quiet: () => new Option('--quiet', 'print nothing but errors'),
  /** A batch's results file, by which status and collect find its state file. */
  batchOut: () => new Option('-o, --out <file>', 'the results file the batches were submitted for').default('results.jsonl'),
  batchBaseUrl: () => new Option('--base-url <url>', 'API base URL (default: the one the batches were submitted to)'),
  batchPrice: () => new Option('--price <in/out[/cached]>', 'standard USD per million tokens for the judge model; the batch pays half'),
  /** How long one Batch API call may take. */
  apiTimeout: (ms: number) => new Option('--timeout <ms>', 'limit for one API call').default(String(ms)),
  /** A pairwise row's two systems (rank, report). The default is in words: report must see whether it was given. */
  systems: () =>
    new Option('--systems <a,b>', `the row fields naming the systems behind answer A and answer B (default: ${DEFAULT_SYSTEM_FIELDS.a},${DEFAULT_SYSTEM_FIELDS.b})`),
  baseline: () => new Option('--baseline <system>', 'rate and compare every system against this one (default: the one in the most battles)'),
};
