import type { DryRunReport } from '../run/run-eval.js';
import { unpricedModels } from './unpriced.js';

/** "2 per row: both orders of each pair", "6 per row: 3 repeats × both orders". */
function perRowText(report: DryRunReport): string {
  const parts = [
    ...(report.repeat > 1 ? [`${report.repeat} repeats`] : []),
    ...(report.bothOrders ? ['both orders of each pair'] : []),
    ...((report.judges?.length ?? 0) > 1 ? [`${report.judges!.length} judges`] : []),
  ];
  return `${report.requests / Math.max(1, report.rows)} per row: ${parts.join(' × ')}`;
}

/** The dry run's report for stdout: the first request as JSON, then counts and estimates. */
export function renderDryRun(report: DryRunReport): string {
  const cost = report.estimatedCostUsd === null ? `unknown (no price for ${unpricedModels(report.model)})` : `$${report.estimatedCostUsd.toFixed(4)} at most`;
  return [
    'First request:',
    JSON.stringify(report.firstRequest, null, 2),
    '',
    `rows: ${report.rows}`,
    ...(report.requests !== report.rows ? [`requests: ${report.requests} (${perRowText(report)})`] : []),
    ...(report.judges ? judgeLines(report) : [`model: ${report.model}`]),
    `estimated tokens: ${report.estimatedTokens.prompt} prompt + up to ${report.estimatedTokens.completion} completion${
      report.reasoningTokens > 0 ? ` (each request's budget holds ${report.reasoningTokens} tokens of reasoning beyond the answer's max_tokens)` : ''
    }`,
    `estimated cost: ${cost}`,
    ...(report.maxCostUsd === null
      ? []
      : [
          report.estimatedCostUsd !== null && report.estimatedCostUsd > report.maxCostUsd
            ? `--max-cost $${report.maxCostUsd}: the run may stop early; the estimate is an upper bound, since every answer is counted at its whole budget`
            : `--max-cost $${report.maxCostUsd}: the estimate fits`,
        ]),
    'nothing was sent (--dry-run)',
    '',
  ].join('\n');
}

/** A judge a line, with the server it is asked at and the variable its key is read from (never the key). */
function judgeLines(report: DryRunReport): string[] {
  const judges = report.judges ?? [];
  return [
    judges.length > 1 ? `panel of ${judges.length} judges (--aggregate ${report.aggregate}), each asked every row:` : 'judge:',
    ...judges.map(
      (judge) =>
        `  ${judge.name}  at ${judge.baseUrl ?? 'OpenAI (https://api.openai.com/v1)'}  key from ${judge.keyVariable ?? 'OPENAI_API_KEY'}${judge.keySet ? '' : ' (not set: a run would stop before sending)'}`,
    ),
  ];
}
