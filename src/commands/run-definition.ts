import type { Command } from 'commander';
import type { Io } from '../io.js';
import { DEFAULT_POLL_MS } from './batch-definition.js';
import { commonFlag, repeatable } from './common-flags.js';

/** `verdict run`'s flags; its action (run-command.ts) is loaded only when it runs. */
export function defineRunCommand(program: Command, io: Io, setExitCode: (code: number) => void, argv: string[]): void {
  program
    .command('run')
    .description('grade a dataset with a judge prompt')
    .option('-d, --dataset <file>', '.jsonl, .csv or .json (array of objects); "-" reads JSONL from stdin')
    .option('--config <file>', 'without --dataset: the suites file to run (default: verdict.yaml)')
    .option('--suite <name>', 'without --dataset: run only this suite of the suites file; repeatable', repeatable)
    .addOption(commonFlag.prompt())
    .option('-o, --out <file>', 'results file, .jsonl, .csv or .xml (JUnit), or an .html report; repeatable (default: results.jsonl)', repeatable)
    .addOption(commonFlag.model())
    .option('--judge <model[@url][,key=VAR]>', "a judge of a panel, asked every row: its model, the base URL it is asked at (else the run's), the environment variable holding its key (else OPENAI_API_KEY); repeatable", repeatable)
    .option('--aggregate <how>', "with two judges or more: majority, mean or median of their votes (default: mean for score prompts, else majority)")
    .option('-c, --concurrency <n>', 'most requests in flight', '8')
    .option('--rpm <n>', "requests per minute to pace to (default: learned from the server's x-ratelimit headers)")
    .option('--tpm <n>', "tokens per minute to pace to (default: learned from the server's x-ratelimit headers)")
    .option('--max-retries <n>', 'retries per request after the first attempt', '6')
    .option('--timeout <ms>', 'limit for one attempt', '60000')
    .addOption(commonFlag.idField())
    .addOption(commonFlag.limit())
    .option('--field <var=field>', 'the prompt variable var reads this row field (dotted for nested), e.g. document=article; repeatable', repeatable)
    .option('--pair <a,b>', "pairwise prompts: the row fields holding the two answers (default: the prompt's pair, else output_a,output_b)")
    .addOption(commonFlag.reasoningEffort())
    .option('--repeat <k>', 'judge each row k times, each an independent request, and aggregate (mean score, majority verdict)', '1')
    .option('--shard <k/n>', "grade only shard k of n: a fixed share of the rows, by a hash of each row's id")
    .option('--force', 'overwrite existing results files (with --resume: continue despite a changed configuration)')
    .option('--resume', 'continue into existing results files: rows graded without error are skipped')
    .option('--retry-errors', 'grade again only the rows whose record in the results file is an error (for a panel: has a vote in error)')
    .option('--dry-run', 'validate everything, print the first request and an estimate; send nothing')
    .addOption(commonFlag.failUnder())
    .addOption(commonFlag.minPassRate())
    .option('--max-cost <usd>', 'never let spent plus reserved cost pass this budget; stop starting rows when it would')
    .option('--price <in/out[/cached]>', "USD per million tokens for the judge model, instead of verdict's price table")
    .addOption(commonFlag.gateOnInterval())
    .addOption(commonFlag.maxErrorRate())
    .addOption(commonFlag.summary())
    .option('--baseline <file>', 'compare the results with this results file at the end; exit 1 when worse by more than --fail-if-worse')
    .option('--fail-if-worse <delta>', 'with --baseline: exit 1 when the 95% interval of results - baseline lies wholly below -delta (default 0)')
    .option('--metric <name>', 'with --baseline: mean, pass_rate or win_rate (default: what the results hold)')
    .option('--markdown <file>', 'with --baseline: also write the comparison as Markdown, for a pull-request comment')
    .option('--cache', 'cache answers at any temperature, not only at temperature 0 and for reasoning models (see docs/cache.md)')
    .option('--no-cache', 'neither read nor write the response cache: send every request')
    .option('--cache-dir <dir>', 'where the response cache lives (default: $XDG_CACHE_HOME/verdict, else ~/.cache/verdict)')
    .addOption(commonFlag.baseUrl())
    .option('--no-progress', 'no progress bar; periodic plain log lines instead')
    .addOption(commonFlag.quiet())
    .option('--batch', 'grade through the OpenAI Batch API (half the price, results within 24 h): submit, wait, collect')
    .option('--poll-interval <ms>', 'with --batch: between two polls of the batches', String(DEFAULT_POLL_MS))
    .option('--batch-size <n>', 'with --batch: most requests per batch file (the API allows 50000)')
    // The flags the command line set (not defaults) override every suite of a suites file.
    .action(async (raw: Record<string, unknown>, command: Command) =>
      (await import('./run-command.js')).runAction(raw, io, setExitCode, argv, new Set(Object.keys(raw).filter((key) => command.getOptionValueSource(key) === 'cli'))),
    );
}
