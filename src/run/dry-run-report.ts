import { firstRequestParams, worstCaseCompletionTokens, type SamplingParams } from '../dialect/params.js';
import { asksPerRow } from '../judge/plan-asks.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';
import type { RunOptions } from '../config.js';
import { costAt } from '../pricing/prices.js';
import type { PreflightReport } from './preflight.js';
import type { JudgePlan, PlannedJudge } from './panel-plan.js';

/** What --dry-run found: enough to check a run before paying for it. */
export interface DryRunReport {
  rows: number;
  /** Requests the run would send: rows × repeats × orders × judges. */
  requests: number;
  /** --repeat. */
  repeat: number;
  /** Pairwise judged in both orders (two requests a judgement). */
  bothOrders: boolean;
  model: string;
  /** The judges named with --judge (a panel's, each asked every row), with where each is asked and whose key it uses. */
  judges?: { name: string; baseUrl: string | null; keyVariable: string | null; keySet: boolean }[];
  /** A panel: how its votes are folded. */
  aggregate?: string;
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
  plan: JudgePlan,
  responseFormat: unknown,
  options: Pick<RunOptions, 'maxCost' | 'repeat' | 'judges'>,
  /** Whether a judge's key is there (panel-plan.ts judgeKey). A dry run sends nothing, so it only says. */
  hasKey: (judge: PlannedJudge) => boolean,
): DryRunReport {
  // Every ask of a row (repeats, both orders) is a request of its own, each about as long, to every judge.
  const perRow = asksPerRow(prompt, options.repeat);
  const promptTokens = report.estimatedPromptTokens * perRow;
  const perJudge = plan.judges.map((judge) => {
    const completion = report.rows * perRow * worstCaseCompletionTokens(judge.params);
    const cost = judge.price ? costAt(judge.price, { prompt_tokens: promptTokens, completion_tokens: completion, cached_tokens: 0 }) : null;
    return { completion, cost };
  });
  const { params, model } = plan.judges[0]!;
  return {
    rows: report.rows,
    requests: report.rows * perRow * plan.judges.length,
    repeat: options.repeat,
    bothOrders: perRow / options.repeat === 2,
    model: plan.model,
    ...(options.judges.length > 0
      ? { judges: plan.judges.map((judge) => ({ name: judge.name, baseUrl: judge.baseUrl ?? null, keyVariable: judge.keyVariable ?? null, keySet: hasKey(judge) })) }
      : {}),
    ...(plan.aggregate ? { aggregate: plan.aggregate } : {}),
    firstRequest: {
      model,
      messages: report.firstMessages ?? [],
      ...firstRequestParams(params),
      response_format: responseFormat,
      ...(prompt.settings.scoring === 'logprobs' ? { logprobs: true, top_logprobs: 20 } : {}),
    },
    estimatedTokens: { prompt: promptTokens * plan.judges.length, completion: perJudge.reduce((sum, judge) => sum + judge.completion, 0) },
    reasoningTokens: Math.max(...plan.judges.map((judge) => judge.params.reasoningTokens)),
    // Each judge at its own model's price; unknown when one of them has none (a part-sum would understate it).
    estimatedCostUsd: perJudge.some((judge) => judge.cost === null) ? null : perJudge.reduce((sum, judge) => sum + judge.cost!, 0),
    maxCostUsd: options.maxCost ?? null,
  };
}
