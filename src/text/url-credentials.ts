/**
 * Arguments with the `user:password@` of any URL among them removed, for a command line that is
 * printed (the command that continues a run): a base URL's credentials are never echoed.
 */
export function withoutCredentials(args: readonly string[]): string[] {
  return args.map((arg) => arg.replace(/(^|=)([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, '$1$2'));
}
