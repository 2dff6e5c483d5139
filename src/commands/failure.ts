import { CommanderError } from 'commander';
import { ExitCode, InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { verdictCommand } from '../text/command-line.js';
import { withoutCredentials } from '../text/url-credentials.js';

/**
 * The one mapping from a failure that ended a command to its message and exit code (SPEC.md "Exit
 * codes"): bad usage or input 2, a run that cannot go on 3, an interrupted wait 130. `argv` is the
 * command line, said again when running it again continues what was interrupted.
 */
export async function reportFailure(error: unknown, io: Io, argv: string[]): Promise<number> {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every other complaint of commander's is bad usage.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof InputError || error instanceof UsageError) {
    io.stderr.write(`verdict: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  hint: ${error.hint}\n`);
    return ExitCode.badInput;
  }
  // Their module loads the SDK: it is imported only for an error that names itself one of them.
  if (error instanceof Error && error.name.startsWith('Batch')) {
    const { BatchApiError, BatchInterruptedError } = await import('../batch/batch-errors.js');
    if (error instanceof BatchInterruptedError) {
      io.stderr.write(`verdict: ${error.message}; the batches already created keep running, and the state file beside the results says where\n`);
      io.stderr.write(`to continue (nothing already sent is sent again):\n  ${verdictCommand(withoutCredentials(argv))}\n`);
      return ExitCode.interrupted;
    }
    if (error instanceof BatchApiError) {
      const [{ readEnvironment }, { redactor }] = await Promise.all([import('../config.js'), import('./run-flags.js')]);
      io.stderr.write(`verdict: ${redactor(readEnvironment(io.env).apiKey)(error.message)}\n  hint: ${error.hint}\n`);
      return ExitCode.runFailed;
    }
  }
  io.stderr.write(`verdict: ${(error as Error)?.message ?? String(error)}\n`);
  if (io.env.DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.runFailed;
}
