import path from 'node:path';

/**
 * How a report names a file of the grader's machine: relative to the working directory when it is
 * inside it, else by its base name alone. A report is shared, and an absolute path would carry a
 * home directory, a user name or an install location along with it.
 */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  const inside = relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join('/') : path.basename(file);
}

/** `text` (an error message about `file`) with the file named as {@link displayPath} names it. */
export function withDisplayPath(text: string, file: string, cwd = process.cwd()): string {
  const shown = displayPath(file, cwd);
  return text.split(path.resolve(cwd, file)).join(shown).split(file).join(shown);
}
