import { verdictCommand } from '../text/command-line.js';
import { withoutCredentials } from '../text/url-credentials.js';
import type { BatchState } from './state.js';

/** `verdict run` with the same arguments, synchronous: without --batch and its flags, plus `flag`. */
export function syncCommand(argv: string[], flag: string): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (['--batch', '--force', '--resume', '--retry-errors'].includes(arg)) continue;
    if (arg === '--poll-interval' || arg === '--batch-size') {
      i++;
      continue;
    }
    if (/^--(poll-interval|batch-size)=/.test(arg)) continue;
    kept.push(arg);
  }
  return verdictCommand([...withoutCredentials(kept), flag]);
}

/** `verdict run` over what a state file says was submitted, plus `flag`. */
export function commandFromState(state: BatchState, flag: string): string {
  const args = ['run', '-d', state.dataset_file, '-p', state.prompt_file, ...state.outputs.flatMap((out) => ['-o', out]), '-m', state.manifest.judge.model];
  if (state.manifest.id_field !== 'id') args.push('--id-field', state.manifest.id_field);
  if (state.limit !== null) args.push('--limit', String(state.limit));
  if (state.manifest.shard !== null) args.push('--shard', state.manifest.shard);
  return verdictCommand([...args, flag]);
}
