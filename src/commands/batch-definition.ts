import type { Command } from 'commander';
import type { Io } from '../io.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
export const DEFAULT_POLL_MS = 15_000;

/** The subcommands of `verdict batch`. */
export type BatchCommand = 'submit' | 'status' | 'collect';

/** `verdict batch submit|status|collect`'s flags; their action (batch-command.ts) is loaded only when one runs. */
export function defineBatchCommand(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const batch = program.command('batch').description('the same evaluation through the OpenAI Batch API: half the price, results within 24 hours');
  const act = (command: BatchCommand) => async (raw: Record<string, unknown>) =>
    (await import('./batch-command.js')).batchAction(command, raw, io, setExitCode);

  batch
    .command('submit')
    .description('write the request files, upload them and create the batches; the ids go to <results>.batch.json')
    .option('-d, --dataset <file>', '.jsonl, .csv or .json (array of objects)')
    .option('-p, --prompt <file|name>', 'a judge prompt file, or the name of a built-in prompt')
    .option('-o, --out <file>', 'results file the batches will be collected into; repeatable (default: results.jsonl)', collect)
    .option('-m, --model <id>', "judge model (default: the prompt's model, else gpt-4o-mini)")
    .option('--id-field <name>', 'the row field that identifies a row (default: id, else the row number)')
    .option('--limit <n>', 'grade only the first n rows')
    .option('--shard <k/n>', "grade only shard k of n, by a hash of each row's id")
    .option('--reasoning-effort <effort>', "reasoning models: none, minimal, low, medium, high or xhigh (default: the prompt's reasoning_effort, else the model's)")
    .option('--force', 'overwrite existing results files when collected')
    .option('--resume', 'submit only the rows the results files do not have graded yet')
    .option('--retry-errors', 'submit only the rows whose record in the results file is an error')
    .option('--max-cost <usd>', "refuse to submit when the batch's worst-case cost is above this")
    .option('--price <in/out[/cached]>', "standard USD per million tokens for the judge model; the batch pays half")
    .option('--batch-size <n>', 'most requests per batch file (the API allows 50000)')
    .option('--base-url <url>', 'API base URL (default: OPENAI_BASE_URL, else OpenAI)')
    .option('--timeout <ms>', 'limit for one API call', '600000')
    .option('--quiet', 'print nothing but errors')
    .action(act('submit'));

  batch
    .command('status')
    .description('show how far each batch of a results file has got')
    .option('-o, --out <file>', 'the results file the batches were submitted for', 'results.jsonl')
    .option('--json', 'print the state as JSON')
    .option('--base-url <url>', 'API base URL (default: the one the batches were submitted to)')
    .option('--timeout <ms>', 'limit for one API call', '60000')
    .action(act('status'));

  batch
    .command('collect')
    .description('download the answers and write the results and summary, as verdict run does')
    .option('-o, --out <file>', 'the results file the batches were submitted for', 'results.jsonl')
    .option('--wait', 'wait for unfinished batches instead of refusing')
    .option('--poll-interval <ms>', 'between two polls while waiting', String(DEFAULT_POLL_MS))
    .option('--fail-under <score>', 'exit 1 when the mean score is below this')
    .option('--min-pass-rate <rate>', 'exit 1 when the pass rate (0..1) is below this')
    .option('--gate-on-interval', 'judge --fail-under and --min-pass-rate on the lower bound of the 95% interval')
    .option('--max-error-rate <rate>', 'exit 3 when more rows than this share (0..1) end in error', '0.05')
    .option('--summary <file>', 'also write the summary as JSON')
    .option('--price <in/out[/cached]>', "standard USD per million tokens for the judge model; the batch pays half")
    .option('--force', 'write the results of batches collected before, again')
    .option('--base-url <url>', 'API base URL (default: the one the batches were submitted to)')
    .option('--timeout <ms>', 'limit for one API call', '600000')
    .option('--no-progress', 'no progress bar while waiting; a line on each change instead')
    .option('--quiet', 'print nothing but errors')
    .action(act('collect'));
}
