import { isFinished, type BatchState } from './state.js';

/** What `verdict batch status` prints: one line per batch with its status and request counts, then what to do next. */
export function renderStatus(state: BatchState): string {
  const finished = state.parts.every(isFinished);
  const lines = [`${state.outputs[0]}: ${state.parts.length} batch${state.parts.length === 1 ? '' : 'es'}, submitted ${state.submitted_at}${state.base_url ? ` to ${state.base_url}` : ''}`];
  for (const part of state.parts) {
    const counts = part.request_counts;
    const done = `${counts.completed + counts.failed}/${part.requests} requests done, ${counts.failed} failed`;
    lines.push(`  batch ${part.index}/${state.parts.length}  ${part.batch_id ?? '-'}  ${part.status ?? 'not created'}  ${done}`);
    for (const error of part.errors) lines.push(`    ${error.code ?? 'error'}${error.line !== null ? ` (line ${error.line})` : ''}: ${error.message ?? ''}`);
  }
  if (state.collected_at !== null) lines.push(`collected at ${state.collected_at}`);
  else if (state.parts.some((part) => part.batch_id === null)) lines.push('the submit was interrupted: run it again to send the rest (nothing already sent is sent again)');
  else if (finished) lines.push(`all finished: verdict batch collect -o ${state.outputs[0]}`);
  else lines.push(`not finished yet; to wait and collect: verdict batch collect -o ${state.outputs[0]} --wait`);
  return `${lines.join('\n')}\n`;
}
