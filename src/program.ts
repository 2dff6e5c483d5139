import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { Io } from './io.js';
import { defineBatchCommand } from './commands/batch-definition.js';
import { defineCacheCommand } from './commands/cache-definition.js';
import { defineCompareCommand } from './commands/compare-definition.js';
import { defineMergeCommand } from './commands/merge-definition.js';
import { definePromptsCommand } from './commands/prompts-definition.js';
import { defineRankCommand } from './commands/rank-definition.js';
import { defineReportCommand } from './commands/report-definition.js';
import { defineRunCommand } from './commands/run-definition.js';
import { defineStatsCommand } from './commands/stats-definition.js';

/**
 * Builds the whole command tree without parsing anything: `main` runs it, and
 * scripts/flag-reference.js walks it to write docs/flags.md, so the reference cannot drift from
 * the flags. `fullEmulator` loads the emulator's real flags even when argv does not name it.
 */
export async function buildProgram(
  io: Io,
  setExitCode: (code: number) => void,
  argv: string[],
  options: { fullEmulator?: boolean } = {},
): Promise<Command> {
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
  defineCompareCommand(program, io, setExitCode);
  defineRankCommand(program, io);
  defineReportCommand(program, io);
  definePromptsCommand(program, io);
  defineBatchCommand(program, io, setExitCode);
  defineCacheCommand(program, io);
  program.addCommand(await emulatorCommandFor(argv, options.fullEmulator ?? false));
  return program;
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
async function emulatorCommandFor(argv: string[], full: boolean): Promise<Command> {
  const named = argv[0] === 'help' ? argv[1] : argv[0];
  if (full || named === 'emulator') return (await import('./emulator/command.js')).emulatorCommand();
  // Commander lists a command that has options as `emulator [options]`: the stand-in has one, hidden.
  return new Command('emulator').description(EMULATOR_DESCRIPTION).addOption(new Option('--port <n>').hideHelp());
}
