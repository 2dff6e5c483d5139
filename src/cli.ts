import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { defineBatchCommand } from './commands/batch-definition.js';
import { defineCompareCommand } from './commands/compare-definition.js';
import { defineMergeCommand } from './commands/merge-definition.js';
import { definePromptsCommand } from './commands/prompts-definition.js';
import { defineRankCommand } from './commands/rank-definition.js';
import { defineReportCommand } from './commands/report-definition.js';
import { defineRunCommand } from './commands/run-definition.js';
import { defineStatsCommand } from './commands/stats-definition.js';
import { ExitCode, InputError, UsageError } from './errors.js';

/** The terminal a command talks to; injectable so tests can run `main` in-process. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Fires on the first Ctrl-C (or SIGTERM, SIGHUP): stop starting rows, let requests in flight finish. */
  interrupt?: AbortSignal;
  /** Fires on the second: abort the requests in flight too. */
  abortNow?: AbortSignal;
}

/**
 * Parses argv and runs the command; returns the exit code instead of exiting, so the bin shim
 * owns the process. Only the commands' flags are defined up front; a command's implementation (and
 * the SDK, liquidjs, zod behind it) is imported only when that command runs.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number) => (exitCode = code);
  const program = new Command('verdict')
    .description('LLM-as-a-judge evaluation: grade a dataset with a judge prompt.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError();

  defineRunCommand(program, io, setExitCode, argv);
  defineMergeCommand(program, io);
  defineStatsCommand(program, io);
  defineCompareCommand(program, io);
  defineRankCommand(program, io);
  defineReportCommand(program, io);
  definePromptsCommand(program, io);
  defineBatchCommand(program, io, setExitCode, argv);
  program.addCommand(await emulatorCommandFor(argv));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** The version in package.json, which ships beside dist/. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const EMULATOR_DESCRIPTION = 'Run the bundled OpenAI-compatible emulator (deterministic answers, rate limits, injectable faults).';

/**
 * The `emulator` command, whose flags are checked by zod as they are parsed: loaded whole only
 * when the command line names it (`verdict emulator ...`, `verdict help emulator`); otherwise a
 * stand-in that lists it in the help alike (test/cli/startup.test.ts compares the two).
 */
async function emulatorCommandFor(argv: string[]): Promise<Command> {
  const named = argv[0] === 'help' ? argv[1] : argv[0];
  if (named === 'emulator') return (await import('./emulator/command.js')).emulatorCommand();
  // Commander lists a command that has options as `emulator [options]`: the stand-in has one, hidden.
  return new Command('emulator').description(EMULATOR_DESCRIPTION).addOption(new Option('--port <n>').hideHelp());
}

/** Prints one clear message for a failure that escaped a command, and picks its exit code. */
function reportFailure(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every other complaint of commander's is bad usage.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof InputError || error instanceof UsageError) {
    io.stderr.write(`verdict: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  hint: ${error.hint}\n`);
    return ExitCode.badInput;
  }
  io.stderr.write(`verdict: ${(error as Error)?.message ?? String(error)}\n`);
  if (io.env.DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.runFailed;
}

/** The real terminal and environment, with Ctrl-C / SIGTERM turned into the `interrupt` signal. */
export function processIo(): Io {
  const interrupt = new AbortController();
  const abortNow = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) interrupt.abort(new Error(signal));
    // The second aborts what is in flight; the run still closes its files, so no line is torn.
    else if (interrupts === 2) abortNow.abort(new Error(signal));
    // A third means the user has given up on a clean stop.
    else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal or SSH session: stop as on SIGTERM (summary, the command that continues), not die mid-write.
  process.on('SIGHUP', onSignal);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupt: interrupt.signal,
    abortNow: abortNow.signal,
  };
}
