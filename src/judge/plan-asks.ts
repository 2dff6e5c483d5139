import type { RowFields } from '../dataset/types.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { Ask } from './grade-row.js';

/** Where a row came from, for the errors rendering may raise. */
export interface RowWhere {
  file: string;
  rowNumber: number;
  line?: number;
}

/** How many requests judge one row: `repeat`, twice over for a pairwise prompt judged in both orders. */
export function asksPerRow(prompt: JudgePrompt, repeat: number): number {
  return repeat * (judgesBothOrders(prompt) ? 2 : 1);
}

function judgesBothOrders(prompt: JudgePrompt): boolean {
  return prompt.settings.mode === 'pairwise' && prompt.settings.swap;
}

/**
 * The requests that judge one row: `repeat` independent asks, and for a pairwise prompt each in
 * both orders (AB as the dataset has it, BA swapped), so position bias shows instead of deciding.
 */
export function planAsks(prompt: JudgePrompt, fields: RowFields, where: RowWhere, repeat: number): Ask[] {
  const pairwise = prompt.settings.mode === 'pairwise';
  const shown = prompt.template.render(fields, where);
  const swapped = judgesBothOrders(prompt) ? prompt.template.renderSwapped?.(fields, where) : undefined;
  const asks: Ask[] = [];
  for (let r = 1; r <= repeat; r++) {
    asks.push({ messages: shown, repeat: r, order: pairwise ? 'AB' : null });
    if (swapped) asks.push({ messages: swapped, repeat: r, order: 'BA' });
  }
  return asks;
}
