import { ExitCode } from '../errors.js';

// Worst first: interrupted, could not finish, bad input, a gate failed, passed.
const SEVERITY: readonly number[] = [ExitCode.interrupted, ExitCode.runFailed, ExitCode.badInput, ExitCode.gateFailed, ExitCode.ok];

/**
 * The exit code of several suites: the worst of theirs, 130 > 3 > 2 > 1 > 0 (a code outside the
 * table counts as 3, a run that could not finish); 0 when there are none.
 */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (code: number) => (SEVERITY.includes(code) ? SEVERITY.indexOf(code) : SEVERITY.indexOf(ExitCode.runFailed));
  return codes.reduce((worst, code) => (rank(code) < rank(worst) ? code : worst), ExitCode.ok as number);
}
