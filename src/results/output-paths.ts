import { constants } from 'node:fs';
import { access, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** A file a command reads: it must never be one of the command's outputs. */
export interface CommandInput {
  path: string;
  /** What it is, for messages: "the dataset", "a results file to merge". */
  role: string;
}

/**
 * What may happen to an output that exists already:
 * - `refuse`: nothing (a fresh results file or summary without --force);
 * - `overwrite`: replaced (--force, an HTML report);
 * - `continue`: kept and appended to (--resume);
 * - `replace-summary`: replaced only when it is a verdict summary (a --summary under --resume).
 */
export type ExistingRule = 'refuse' | 'overwrite' | 'continue' | 'replace-summary';

/** A file a command writes. */
export interface CommandOutput {
  path: string;
  role: string;
  existing: ExistingRule;
  /** Said when an existing file is refused. */
  hint?: string;
}

/** Where a path really leads: its real path, and its device and inode when it exists. */
export interface FileIdentity {
  /** Symlinks resolved; for a file not created yet, the real path of its nearest existing ancestor plus the rest. */
  real: string;
  /** The nearest existing directory at or above the path (the one a new file is created under). */
  existingAncestor: string;
  /** Set when the path exists. */
  stats?: { dev: number; ino: number; isFile: boolean; isDirectory: boolean; size: number };
}

/** Resolves a path to its identity, following symlinks; a path that does not exist yet is resolved through its nearest existing ancestor. */
export async function identityOf(file: string, depth = 0): Promise<FileIdentity> {
  const absolute = path.resolve(file);
  const found = await statOrUndefined(absolute);
  // A dangling symlink: writing to it creates its target, so the target is what it is.
  const link = found ? undefined : await readlink(absolute).catch(() => undefined);
  if (link !== undefined && depth < 40) return identityOf(path.resolve(path.dirname(absolute), link), depth + 1);
  if (found) {
    const real = await realpath(absolute).catch(() => absolute);
    const stats = { dev: found.dev, ino: found.ino, isFile: found.isFile(), isDirectory: found.isDirectory(), size: found.size };
    return { real, existingAncestor: stats.isDirectory ? real : path.dirname(real), stats };
  }
  // Not there yet: walk up to the first ancestor that exists, and resolve that one.
  const rest: string[] = [path.basename(absolute)];
  let ancestor = path.dirname(absolute);
  while (!(await statOrUndefined(ancestor)) && path.dirname(ancestor) !== ancestor) {
    rest.unshift(path.basename(ancestor));
    ancestor = path.dirname(ancestor);
  }
  const realAncestor = await realpath(ancestor).catch(() => ancestor);
  return { real: path.join(realAncestor, ...rest), existingAncestor: realAncestor };
}

/** True when two identities are the same file: one real path, or (a hard link, a case-folding disk) one inode. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  if (a.real === b.real) return true;
  return a.stats !== undefined && b.stats !== undefined && a.stats.dev === b.stats.dev && a.stats.ino === b.stats.ino;
}

/**
 * Checks a command's outputs before it does anything (sends a request, creates or compacts a file):
 * no output is one of its inputs or another output (compared by real path and by inode), each can
 * be created or written, and none that exists is replaced against its rule. The first problem
 * throws a UsageError naming the path(s); nothing has been touched then.
 */
export async function checkOutputs(inputs: readonly CommandInput[], outputs: readonly CommandOutput[]): Promise<void> {
  const read = await Promise.all(inputs.map(async (input) => ({ ...input, id: await identityOf(input.path) })));
  const written = await Promise.all(outputs.map(async (output) => ({ ...output, id: await identityOf(output.path) })));
  for (const [index, output] of written.entries()) {
    const input = read.find((candidate) => sameFile(candidate.id, output.id));
    if (input) {
      throw new UsageError(
        input.path === output.path
          ? `${output.path} is ${input.role}, so it cannot also be the ${output.role}: an output never overwrites an input`
          : `${describe(output)} and ${input.path} (${input.role}) are the same file: an output never overwrites an input`,
        `write the ${output.role} somewhere else`,
      );
    }
    const earlier = written.slice(0, index).find((candidate) => sameFile(candidate.id, output.id));
    if (earlier) {
      throw new UsageError(
        earlier.path === output.path
          ? `${output.path} is given twice as an output (${earlier.role}, ${output.role})`
          : `${describe(earlier)} and ${describe(output)} are the same file`,
        'give each output its own file',
      );
    }
  }
  for (const output of written) await checkWritable(output);
}

function describe(output: { path: string; role: string }): string {
  return `${output.path} (the ${output.role})`;
}

async function checkWritable(output: CommandOutput & { id: FileIdentity }): Promise<void> {
  const { id } = output;
  if (id.stats?.isDirectory) throw new UsageError(`cannot write the ${output.role} to ${output.path}: it is a directory`);
  // Only a regular file holds something to lose: writing to a device or a pipe (/dev/stdout) replaces nothing.
  if (id.stats?.isFile) {
    if (output.existing === 'refuse' || (output.existing === 'replace-summary' && !(await isSummary(output.path, id.stats.size)))) {
      throw new UsageError(
        `${output.path} already exists${output.existing === 'replace-summary' ? ' and is not a verdict summary' : ''}; pass --force to overwrite it`,
        output.hint ?? `write the ${output.role} somewhere else`,
      );
    }
  }
  const ancestor = await statOrUndefined(id.existingAncestor);
  if (ancestor && !ancestor.isDirectory()) {
    throw new UsageError(`cannot write the ${output.role} to ${output.path}: ${id.existingAncestor} is not a directory`);
  }
  // A results file is written beside its lock and manifest, and compacted through a temporary file: its directory must be writable too.
  await accessOrThrow(id.existingAncestor, output, `cannot create files in ${id.existingAncestor}`);
  if (id.stats) await accessOrThrow(output.path, output, `cannot write to ${output.path}`);
}

async function accessOrThrow(target: string, output: CommandOutput, problem: string): Promise<void> {
  try {
    await access(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EROFS' ? 'a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new UsageError(`cannot write the ${output.role} ${output.path}: ${problem} (${why})`, 'nothing was sent; choose a writable place');
  }
}

/** A summary verdict wrote: a small JSON object with the summary's status and row count. */
async function isSummary(file: string, size: number): Promise<boolean> {
  if (size > 1 << 20) return false;
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> | null;
    return typeof value === 'object' && value !== null && ['complete', 'cancelled', 'failed'].includes(String(value.status)) && typeof value.rows === 'number';
  } catch {
    return false;
  }
}

async function statOrUndefined(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
