import { access } from 'node:fs/promises';
import { readEnvironment, requireApiKey, type RunOptions } from '../config.js';
import { ExitCode, FlagError, InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { loadSuites, suiteKeyError, type LoadedSuites } from './load-suites.js';
import { DEFAULT_SUITES_FILE, type Suite } from './suite-file.js';
import { commandLineKeyOf, equivalentArgs, mergeFlags, suiteKeyOfOption, type RawFlags } from './suite-flags.js';
import { fileUses, findSharedFile } from './shared-files.js';
import { worstExitCode } from './worst-exit.js';
import { flagName, verdictCommand } from '../text/command-line.js';

/** `verdict run` as the command line gave it: commander's values, which of them it set, the arguments. */
export interface RunInvocation {
  raw: RawFlags;
  /** The raw keys the command line set (not commander's defaults): they override every suite. */
  given: ReadonlySet<string>;
  argv: string[];
  io: Io;
}

/** `verdict run`'s own two steps, handed in so that a suite runs exactly as its command line would. */
export interface SuiteRunner {
  /** The flags checked by the one schema of `verdict run`; a refused value throws a FlagError naming its option. */
  parse(raw: RawFlags): Promise<RunOptions>;
  /** `verdict run` with these flags and arguments (those its messages repeat); its exit code. */
  run(raw: RawFlags, argv: string[]): Promise<number>;
}

/** One suite ready to run: its flags merged and checked. */
interface PlannedSuite {
  name: string;
  suite: Suite;
  raw: RawFlags;
  options: RunOptions;
}

/**
 * `verdict run` without --dataset: runs the suites of verdict.yaml (or --config), all of them or
 * those --suite names, each exactly as its equivalent command line, and returns the worst exit
 * code. Every selected suite is checked (its values, its files against the others', a dry run of
 * it) before the first is run. Undefined when there is no suites file to run: `verdict run` then
 * says --dataset is required, as it always did.
 */
export async function runSuitesFile(invocation: RunInvocation, runner: SuiteRunner): Promise<number | undefined> {
  const { raw } = invocation;
  const named = raw.config !== undefined || raw.suite !== undefined;
  if (raw.dataset !== undefined) {
    if (named) throw new UsageError('--config and --suite run the suites of a file; --dataset runs one dataset', 'give one or the other');
    return undefined;
  }
  const file = (raw.config as string | undefined) ?? DEFAULT_SUITES_FILE;
  if (!named && !(await exists(file))) return undefined;
  if (raw.batch === true) throw new UsageError(`--batch takes one dataset: give it with --dataset (the suites of ${file} run without --batch)`);

  const loaded = await loadSuites(file);
  const planned = await planSuites(loaded, invocation, runner);
  await checkSuites(loaded, planned, invocation);
  return runInOrder(planned, invocation, runner);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The selected suites in file order, each one's flags merged and parsed; a refused value is said at its line in the file. */
async function planSuites(loaded: LoadedSuites, invocation: RunInvocation, runner: SuiteRunner): Promise<PlannedSuite[]> {
  const wanted = (invocation.raw.suite as string[] | undefined) ?? [];
  const names = loaded.suites.map((entry) => entry.name);
  const unknown = wanted.find((name) => !names.includes(name));
  if (unknown !== undefined) throw new UsageError(`--suite ${unknown}: ${loaded.file} has no such suite`, `its suites: ${names.join(', ')}`);
  const selected = wanted.length === 0 ? loaded.suites : loaded.suites.filter((entry) => wanted.includes(entry.name));
  const planned: PlannedSuite[] = [];
  for (const { name, suite } of selected) {
    const raw = mergeFlags(invocation.raw, invocation.given, suite);
    try {
      planned.push({ name, suite, raw, options: await runner.parse(raw) });
    } catch (error) {
      throw inFile(loaded, name, suite, invocation.given, error);
    }
  }
  return planned;
}

/** A refused flag value that came from the file, as an error at its line; one from the command line stays as it is. */
function inFile(loaded: LoadedSuites, name: string, suite: Suite, given: ReadonlySet<string>, error: unknown): unknown {
  if (!(error instanceof FlagError)) return error;
  const key = suiteKeyOfOption(error.option);
  if (key === undefined || suite[key] === undefined || given.has(commandLineKeyOf(key))) return error;
  // The schema's words name the flag: say the key of the file instead.
  const message = error.message.replace(`--${key.replace(/_/g, '-')}`, key).replace(/^--field\b/, 'fields').replace(/^--judge\b/, 'judges');
  return suiteKeyError(loaded, name, key, message, error.hint);
}

/**
 * Before anything is sent: no two suites share a file one of them writes, no suite reads stdin, and
 * each passes the checks of its own dry run (prompt, dataset, outputs, baseline, budget).
 */
async function checkSuites(loaded: LoadedSuites, planned: PlannedSuite[], { io, given }: RunInvocation): Promise<void> {
  for (const { name, suite, options } of planned) {
    if (options.dataset === '-') throw suiteKeyError(loaded, name, 'dataset', 'dataset "-" reads stdin, which suites cannot share', 'give the dataset as a file');
  }
  const shared = await findSharedFile(planned.flatMap(({ name, options }) => fileUses(name, options)));
  if (shared) {
    const { later, earlier } = shared;
    const where = `suite "${earlier.suite}"`;
    const message = `${later.path} (the ${later.role}) is also the ${earlier.role} of ${where}: ${later.writes && earlier.writes ? 'two suites never write one file' : 'a suite never overwrites what another reads'}`;
    const hint = `give each suite its own ${later.writes ? later.key : earlier.key}`;
    const flag = commandLineKeyOf(later.key);
    // A flag of the command line is given to every suite: said as the flag, not at a line of the file.
    if (given.has(flag)) throw new UsageError(`--${flagName(flag)} applies to every suite: ${message}`, `give it in ${loaded.file}, once a suite`);
    throw suiteKeyError(loaded, later.suite, later.key, message, hint);
  }
  // Checked here as each run would check it, so that a missing key is said once, not once a suite.
  if (planned.some(({ options }) => !options.dryRun)) requireApiKey(readEnvironment(io.env).apiKey);
  const { runEval } = await import('../run/run-eval.js');
  for (const { name, options } of planned) {
    try {
      await runEval({ ...options, dryRun: true }, { stdin: io.stdin });
    } catch (error) {
      if (!(error instanceof InputError || error instanceof UsageError)) throw error;
      throw new UsageError(`${loaded.file}: suite "${name}": ${error.message}`, error.hint);
    }
  }
}

/** Runs the suites one after another; an interrupted suite stops the rest. */
async function runInOrder(planned: PlannedSuite[], invocation: RunInvocation, runner: SuiteRunner): Promise<number> {
  const { io, given } = invocation;
  const quiet = invocation.raw.quiet === true;
  const codes: { name: string; code: number }[] = [];
  for (const [index, { name, suite, raw }] of planned.entries()) {
    if (io.interrupt?.aborted) break;
    if (!quiet) io.stderr.write(`${index > 0 ? '\n' : ''}suite ${name} (${index + 1}/${planned.length}): ${verdictCommand(['run', ...equivalentArgs(suite, raw, given)])}\n`);
    const code = await runner.run(raw, suiteArgv(invocation.argv, name));
    codes.push({ name, code });
    if (code === ExitCode.interrupted) break;
  }
  const notRun = planned.slice(codes.length).map((entry) => entry.name);
  const worst = notRun.length > 0 ? ExitCode.interrupted : worstExitCode(codes.map((entry) => entry.code));
  if (notRun.length > 0) io.stderr.write(`verdict: interrupted: suites not run: ${notRun.join(', ')}\n`);
  if (planned.length > 1 && (!quiet || worst !== ExitCode.ok)) {
    io.stderr.write(`suites: ${codes.map((entry) => `${entry.name} exit ${entry.code}`).join(', ')}; exit ${worst}, the worst\n`);
  }
  return worst;
}

/** The arguments that run this one suite again (a suite's "to continue" command): the others' --suite left out. */
export function suiteArgv(argv: readonly string[], name: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite') i++;
    else if (!argv[i]!.startsWith('--suite=')) kept.push(argv[i]!);
  }
  return [...kept, '--suite', name];
}
