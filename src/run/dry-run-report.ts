import { firstRequestParams, worstCaseCompletionTokens, type PlannedParams, type SamplingParams } from '../dialect/params.js';
import { asksPerRow } from '../judge/plan-asks.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';
import type { RunOptions } from '../config.js';
import { estimateCostUsd } from '../pricing/prices.js';
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
  /** The first request as it would be sent: no temperature for a reasoning model, its token limit with room for reasoning. */
  firstRequest: {
    model: string;
    messages: ChatMessage[];
  } & SamplingParams & {
    response_format: unknown;
    logprobs?: boolean;
    top_logprobs?: number;
  };
  /** `completion` is the worst case: every request at its whole budget, reasoning included. */
  estimatedTokens: { prompt: number; completion: number };
  /** Of each request's completion budget, how much is room for reasoning beyond the prompt's max_tokens. */
  reasoningTokens: number;
  estimatedCostUsd: number | null;
  /** The --max-cost budget, if any, to compare the estimate with. */
  maxCostUsd: number | null;
}

/** The dry run's findings: the first request as it would be sent, counts, and the worst case it could cost. */
export function dryRunReport(
  report: PreflightReport,
  prompt: JudgePrompt,
  model: string,
  responseFormat: unknown,
  params: PlannedParams,
  options: Pick<RunOptions, 'price' | 'maxCost' | 'repeat'>,
): DryRunReport {
  // Every ask of a row (repeats, both orders) is a request of its own, each about as long.
  const perRow = asksPerRow(prompt, options.repeat);
  const promptTokens = report.estimatedPromptTokens * perRow;
  const completion = report.rows * perRow * worstCaseCompletionTokens(params);
  return {
    rows: report.rows,
    requests: report.rows * perRow,
    repeat: options.repeat,
    bothOrders: perRow / options.repeat === 2,
    model,
    firstRequest: {
      model,
      messages: report.firstMessages ?? [],
      ...firstRequestParams(params),
      response_format: responseFormat,
      ...(prompt.settings.scoring === 'logprobs' ? { logprobs: true, top_logprobs: 20 } : {}),
    },
    estimatedTokens: { prompt: promptTokens, completion },
    reasoningTokens: params.reasoningTokens,
    estimatedCostUsd: estimateCostUsd(
      model,
      { prompt_tokens: promptTokens, completion_tokens: completion, cached_tokens: 0 },
      options.price,
    ),
    maxCostUsd: options.maxCost ?? null,
  };
}
