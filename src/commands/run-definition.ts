import type { Command } from 'commander';
import type { Io } from '../cli.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `verdict run`'s flags; its action (run-command.ts) is loaded only when it runs. */
export function defineRunCommand(program: Command, io: Io, setExitCode: (code: number) => void, argv: string[]): void {
  program
    .command('run')
    .description('grade a dataset with a judge prompt')
    .option('-d, --dataset <file>', '.jsonl, .csv or .json (array of objects); "-" reads JSONL from stdin')
    .option('-p, --prompt <file|name>', 'a judge prompt file, or the name of a built-in prompt')
    .option('-o, --out <file>', 'results file, .jsonl, .csv or .xml (JUnit), or an .html report; repeatable (default: results.jsonl)', collect)
    .option('-m, --model <id>', "judge model (default: the prompt's model, else gpt-4o-mini)")
    .option('-c, --concurrency <n>', 'most requests in flight', '8')
    .option('--rpm <n>', "requests per minute to pace to (default: learned from the server's x-ratelimit headers)")
    .option('--tpm <n>', "tokens per minute to pace to (default: learned from the server's x-ratelimit headers)")
    .option('--max-retries <n>', 'retries per request after the first attempt', '6')
    .option('--timeout <ms>', 'limit for one attempt', '60000')
    .option('--id-field <name>', 'the row field that identifies a row (default: id, else the row number)')
    .option('--limit <n>', 'grade only the first n rows')
    .option('--field <var=field>', 'the prompt variable var reads this row field (dotted for nested), e.g. document=article; repeatable', collect)
    .option('--pair <a,b>', "pairwise prompts: the row fields holding the two answers (default: the prompt's pair, else output_a,output_b)")
    .option('--reasoning-effort <effort>', "reasoning models: none, minimal, low, medium, high or xhigh (default: the prompt's reasoning_effort, else the model's)")
    .option('--repeat <k>', 'judge each row k times, each an independent request, and aggregate (mean score, majority verdict)', '1')
    .option('--shard <k/n>', "grade only shard k of n: a fixed share of the rows, by a hash of each row's id")
    .option('--force', 'overwrite existing results files (with --resume: continue despite a changed configuration)')
    .option('--resume', 'continue into existing results files: rows graded without error are skipped')
    .option('--retry-errors', 'grade again only the rows whose record in the results file is an error')
    .option('--dry-run', 'validate everything, print the first request and an estimate; send nothing')
    .option('--fail-under <score>', 'exit 1 when the mean score is below this')
    .option('--min-pass-rate <rate>', 'exit 1 when the pass rate (0..1) is below this')
    .option('--max-cost <usd>', 'never let spent plus reserved cost pass this budget; stop starting rows when it would')
    .option('--price <in/out[/cached]>', "USD per million tokens for the judge model, instead of verdict's price table")
    .option('--gate-on-interval', 'judge --fail-under and --min-pass-rate on the lower bound of the 95% interval')
    .option('--max-error-rate <rate>', 'exit 3 when more rows than this share (0..1) end in error', '0.05')
    .option('--summary <file>', 'also write the summary as JSON')
    .option('--baseline <file>', 'compare the results with this results file at the end; exit 1 when worse by more than --fail-if-worse')
    .option('--fail-if-worse <delta>', 'with --baseline: exit 1 when the 95% interval of results - baseline lies wholly below -delta (default 0)')
    .option('--metric <name>', 'with --baseline: mean, pass_rate or win_rate (default: what the results hold)')
    .option('--markdown <file>', 'with --baseline: also write the comparison as Markdown, for a pull-request comment')
    .option('--cache', 'cache answers at any temperature, not only at temperature 0 and for reasoning models (see docs/cache.md)')
    .option('--no-cache', 'neither read nor write the response cache: send every request')
    .option('--cache-dir <dir>', 'where the response cache lives (default: $XDG_CACHE_HOME/verdict, else ~/.cache/verdict)')
    .option('--base-url <url>', 'API base URL (default: OPENAI_BASE_URL, else OpenAI)')
    .option('--no-progress', 'no progress bar; periodic plain log lines instead')
    .option('--quiet', 'print nothing but errors')
    .option('--batch', 'grade through the OpenAI Batch API (half the price, results within 24 h): submit, wait, collect')
    .option('--poll-interval <ms>', 'with --batch: between two polls of the batches', '15000')
    .option('--batch-size <n>', 'with --batch: most requests per batch file (the API allows 50000)')
    .action(async (raw: Record<string, unknown>) =>
      (await import('./run-command.js')).runAction(raw, io, setExitCode, argv),
    );
}
