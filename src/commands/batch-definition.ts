import type { Command } from 'commander';
import type { Io } from '../io.js';
import { commonFlag, repeatable } from './common-flags.js';

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
    .addOption(commonFlag.prompt())
    .option('-o, --out <file>', 'results file the batches will be collected into; repeatable (default: results.jsonl)', repeatable)
    .addOption(commonFlag.model())
    .addOption(commonFlag.idField())
    .addOption(commonFlag.limit())
    .option('--shard <k/n>', "grade only shard k of n, by a hash of each row's id")
    .addOption(commonFlag.reasoningEffort())
    .option('--force', 'overwrite existing results files when collected')
    .option('--resume', 'submit only the rows the results files do not have graded yet')
    .option('--retry-errors', 'submit only the rows whose record in the results file is an error')
    .option('--max-cost <usd>', "refuse to submit when the batch's worst-case cost is above this")
    .addOption(commonFlag.batchPrice())
    .option('--batch-size <n>', 'most requests per batch file (the API allows 50000)')
    .addOption(commonFlag.baseUrl())
    .addOption(commonFlag.apiTimeout(600_000))
    .addOption(commonFlag.quiet())
    .action(act('submit'));

  batch
    .command('status')
    .description('show how far each batch of a results file has got')
    .addOption(commonFlag.batchOut())
    .option('--json', 'print the state as JSON')
    .addOption(commonFlag.batchBaseUrl())
    .addOption(commonFlag.apiTimeout(60_000))
    .action(act('status'));

  batch
    .command('collect')
    .description('download the answers and write the results and summary, as verdict run does')
    .addOption(commonFlag.batchOut())
    .option('--wait', 'wait for unfinished batches instead of refusing')
    .option('--poll-interval <ms>', 'between two polls while waiting', String(DEFAULT_POLL_MS))
    .addOption(commonFlag.failUnder())
    .addOption(commonFlag.minPassRate())
    .addOption(commonFlag.gateOnInterval())
    .addOption(commonFlag.maxErrorRate())
    .addOption(commonFlag.summary())
    .addOption(commonFlag.batchPrice())
    .option('--force', 'write the results of batches collected before, again')
    .addOption(commonFlag.batchBaseUrl())
    .addOption(commonFlag.apiTimeout(600_000))
    .option('--no-progress', 'no progress bar while waiting; a line on each change instead')
    .addOption(commonFlag.quiet())
    .action(act('collect'));
}
