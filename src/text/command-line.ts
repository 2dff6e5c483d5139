/** The argument as a POSIX shell reads it back. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A verdict command line to print for the user to run: `verdict` and the arguments, each quoted for a POSIX shell. */
export function verdictCommand(args: readonly string[]): string {
  return ['verdict', ...args].map(shellQuote).join(' ');
}

/** A flag's name as typed (`failIfWorse` → `fail-if-worse`), from its option key. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
