import type { RunOptions } from '../config.js';
import { asksPerRow } from '../judge/plan-asks.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';
import { estimateCostUsd } from '../report/prices.js';
import type { PreflightReport } from './preflight.js';

/** What --dry-run found: enough to check a run before paying for it. */
export interface DryRunReport {
  rows: number;
  /** Requests the run would send: rows × repeats × orders. */
  requests: number;
  /** --repeat. */
  repeat: number;
  /** Pairwise judged in both orders (two requests a judgement). */
  bothOrders: boolean;
  model: string;
  firstRequest: {
    model: string;
    messages: ChatMessage[];
    temperature: number;
    max_completion_tokens: number;
    response_format: unknown;
    logprobs?: boolean;
    top_logprobs?: number;
  };
  estimatedTokens: { prompt: number; completion: number };
  estimatedCostUsd: number | null;
  /** The --max-cost budget, if any, to compare the estimate with. */
  maxCostUsd: number | null;
}

/** The dry run's report: the pre-flight's counts, the first request, and the token and cost estimates. */
export function dryRunReport(
  report: PreflightReport,
  prompt: JudgePrompt,
  model: string,
  responseFormat: unknown,
  options: Pick<RunOptions, 'price' | 'maxCost' | 'repeat'>,
): DryRunReport {
  // Every ask of a row (repeats, both orders) is a request of its own, each about as long.
  const perRow = asksPerRow(prompt, options.repeat);
  const promptTokens = report.estimatedPromptTokens * perRow;
  const completion = report.rows * perRow * prompt.settings.max_tokens;
  return {
    rows: report.rows,
    requests: report.rows * perRow,
    repeat: options.repeat,
    bothOrders: perRow / options.repeat === 2,
    model,
    firstRequest: {
      model,
      messages: report.firstMessages ?? [],
      temperature: prompt.settings.temperature,
      max_completion_tokens: prompt.settings.max_tokens,
      response_format: responseFormat,
      ...(prompt.settings.scoring === 'logprobs' ? { logprobs: true, top_logprobs: 20 } : {}),
    },
    estimatedTokens: { prompt: promptTokens, completion },
    estimatedCostUsd: estimateCostUsd(
      model,
      { prompt_tokens: promptTokens, completion_tokens: completion, cached_tokens: 0 },
      options.price,
    ),
    maxCostUsd: options.maxCost ?? null,
  };
}
