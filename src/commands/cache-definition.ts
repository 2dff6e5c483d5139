import type { Command } from 'commander';
import type { Io } from '../io.js';

/** `verdict cache info|clear|prune`; the actions (cache-command.ts) are loaded only when one runs. */
export function defineCacheCommand(program: Command, io: Io): void {
  const cache = program
    .command('cache')
    .description("inspect or empty the response cache (default: $XDG_CACHE_HOME/verdict, else ~/.cache/verdict)");
  const action = (name: 'info' | 'clear' | 'prune') => async (raw: { cacheDir?: string; olderThan?: string }) =>
    (await import('./cache-command.js')).cacheAction(name, raw, io);
  cache.command('info').description('show where the cache is, its entries and their size').option('--cache-dir <dir>', 'the cache directory').action(action('info'));
  cache.command('clear').description('remove every entry').option('--cache-dir <dir>', 'the cache directory').action(action('clear'));
  cache
    .command('prune')
    .description("remove the packs (a run's entries each) last written longer ago than --older-than")
    .requiredOption('--older-than <duration>', 'an age such as 7d, 12h, 30m or 2w')
    .option('--cache-dir <dir>', 'the cache directory')
    .action(action('prune'));
}
