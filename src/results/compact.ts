import { open, rename, rm } from 'node:fs/promises';

/** A byte range [start, end) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Copies the given ranges of `from`, in order, into a new file `to`; adjacent ranges are copied as one. */
export async function copyRanges(from: string, to: string, ranges: readonly ByteRange[]): Promise<void> {
  const source = await open(from, 'r');
  const target = await open(to, 'w');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (const range of coalesce(ranges)) {
      for (let position = range.start; position < range.end; ) {
        const length = Math.min(buffer.length, range.end - position);
        const { bytesRead } = await source.read(buffer, 0, length, position);
        if (bytesRead === 0) throw new Error(`${from} is shorter than expected`);
        await target.write(buffer, 0, bytesRead);
        position += bytesRead;
      }
    }
    await target.sync();
  } finally {
    await source.close();
    await target.close();
  }
}

/**
 * Rewrites `path` to hold only `keep`, atomically: the new content goes to a temporary file that
 * then replaces the old one, so a crash during the rewrite leaves either the old file or the new.
 */
export async function rewriteKeeping(path: string, keep: readonly ByteRange[]): Promise<void> {
  const temporary = `${path}.resume-tmp`;
  try {
    await copyRanges(path, temporary, keep);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function coalesce(ranges: readonly ByteRange[]): ByteRange[] {
  const merged: ByteRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && last.end === range.start) last.end = range.end;
    else if (range.end > range.start) merged.push({ ...range });
  }
  return merged;
}
