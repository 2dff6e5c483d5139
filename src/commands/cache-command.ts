import type { Io } from '../io.js';
import { readEnvironment } from '../config.js';
import { UsageError } from '../errors.js';

/** `verdict cache info|clear|prune` (its flags: cache-definition.ts): the cache directory's figures, or fewer entries. */
export async function cacheAction(name: 'info' | 'clear' | 'prune', raw: { cacheDir?: string; olderThan?: string }, io: Io): Promise<void> {
  const dir = raw.cacheDir ?? readEnvironment(io.env).cacheDir;
  if (dir === undefined || dir === '') throw new UsageError('no cache directory: neither XDG_CACHE_HOME nor HOME is set', 'give one with --cache-dir <dir>');
  const admin = await import('../cache/admin.js');
  if (name === 'info') {
    const info = await admin.cacheInfo(dir);
    const lines = [`cache     ${info.dir}`, `entries   ${info.entries}`, `bytes     ${info.bytes} (${readableBytes(info.bytes)})`];
    if (info.oldest && info.newest) lines.push(`oldest    ${info.oldest.toISOString()}`, `newest    ${info.newest.toISOString()}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  if (name === 'clear') {
    const removed = await admin.clearCache(dir);
    io.stdout.write(`removed ${removed} entr${removed === 1 ? 'y' : 'ies'} from ${dir}\n`);
    return;
  }
  const { parseDuration } = await import('../cache/duration.js');
  const olderThan = parseDuration(raw.olderThan ?? '');
  if (olderThan === undefined) throw new UsageError(`--older-than: "${raw.olderThan}" is not a duration`, 'give a number and a unit: 7d, 12h, 30m, 45s or 2w');
  const pruned = await admin.pruneCache(dir, olderThan);
  io.stdout.write(`removed ${pruned.entries} entr${pruned.entries === 1 ? 'y' : 'ies'} (${readableBytes(pruned.bytes)}) older than ${raw.olderThan} from ${dir}\n`);
}

function readableBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
