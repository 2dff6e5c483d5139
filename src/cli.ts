import { reportFailure } from './commands/failure.js';
import { ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { buildProgram } from './program.js';

// In-process drivers (bench/overhead) load a built cli.js of any version and take its processIo.
export { processIo } from './io.js';

/**
 * Parses argv and runs the command; returns the exit code instead of exiting, so the bin shim
 * owns the process. Only the commands' flags are defined up front; a command's implementation (and
 * the SDK, liquidjs, zod behind it) is imported only when that command runs.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number) => (exitCode = code);
  const program = await buildProgram(io, setExitCode, argv);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io, argv);
  }
}
