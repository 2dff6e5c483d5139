import { buildRecord } from '../results/build-record.js';
import { modelOfJudgeName } from '../results/judge-names.js';
import { addUsageInto, emptyUsage, type PanelAggregate, type RecordError, type ResultRecord, type Usage, type Vote } from '../results/record.js';
import type { RetryNotice } from '../scheduler/with-retries.js';
import { gradeRow, RowCancelledError, RunStopError, type GradeContext, type RowJob } from './grade-row.js';
import { aggregateVotes, type PanelRules } from './panel-aggregate.js';

/** One judge of a panel: its name in the votes, and its own context (client, gate, dialect, cache). */
export interface PanelJudge {
  name: string;
  ctx: GradeContext;
}

/** A run's panel: its judges in the order named, the records' judge, and how votes become a grade. */
export interface Panel {
  judges: readonly PanelJudge[];
  /** The record's judge: model is the judges' names joined by ','. */
  judge: ResultRecord['judge'];
  aggregate: PanelAggregate;
  rules: PanelRules;
}

/**
 * Grades one row with every judge of the panel at once, each through gradeRow (its own gate,
 * retries and re-asks), and folds their records into one with a vote per judge. A judge that fails
 * on the row is a vote with an error; the others decide. Throws as gradeRow does when a judge's
 * answer must stop the run (naming the judge) or the row was cancelled.
 */
export async function gradePanelRow(job: RowJob, panel: Panel, onRetry?: (notice: RetryNotice) => void): Promise<ResultRecord> {
  const outcomes = await Promise.allSettled(panel.judges.map((judge) => gradeRow(job, { ...judge.ctx, ...(onRetry ? { onRetry } : {}) })));
  const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ judge: panel.judges[i]!, error: o.reason as unknown }] : []));
  if (failures.length > 0) throw fatalOf(failures, outcomes, panel);
  return panelRecord(job, outcomes.map((o) => (o as PromiseFulfilledResult<ResultRecord>).value), panel);
}

/** The failure that ends the row for the whole panel: a run stop outranks a cancellation; either carries every judge's tokens. */
function fatalOf(failures: { judge: PanelJudge; error: unknown }[], outcomes: PromiseSettledResult<ResultRecord>[], panel: Panel): unknown {
  const stop = failures.find((f) => f.error instanceof RunStopError);
  const cancelled = failures.find((f) => f.error instanceof RowCancelledError);
  const chosen = stop ?? cancelled;
  if (!chosen) return failures[0]!.error;
  // Answers paid for by every judge, the failed ones included, are counted by each judge's model.
  const usageByModel = new Map<string, Usage>();
  outcomes.forEach((outcome, i) => {
    const spent = outcome.status === 'fulfilled' ? outcome.value.usage : (outcome.reason as RunStopError | RowCancelledError).usage;
    if (!spent) return;
    const model = modelOfJudgeName(panel.judges[i]!.name);
    const total = usageByModel.get(model) ?? emptyUsage();
    addUsageInto(total, spent);
    usageByModel.set(model, total);
  });
  const usage = emptyUsage();
  for (const spent of usageByModel.values()) addUsageInto(usage, spent);
  if (chosen.error instanceof RunStopError) {
    const error = new RunStopError(chosen.error.code, `judge ${chosen.judge.name}: ${chosen.error.message}`, chosen.error.hint);
    return Object.assign(error, { usage, usageByModel });
  }
  return Object.assign(new RowCancelledError((chosen.error as Error).message), { usage, usageByModel });
}

/** The panel's record: the aggregate of the votes without error, every vote kept, spend summed. */
export function panelRecord(job: Pick<RowJob, 'id' | 'fields'>, records: readonly ResultRecord[], panel: Pick<Panel, 'judges' | 'judge' | 'aggregate' | 'rules'>): ResultRecord {
  const votes = records.map((record, i) => voteOf(panel.judges[i]!.name, record));
  const usage = emptyUsage();
  for (const vote of votes) addUsageInto(usage, vote.usage);
  const spend = {
    attempts: votes.reduce((sum, vote) => sum + vote.attempts, 0),
    // The judges are asked at once: the row took as long as its slowest judge.
    latencyMs: Math.max(...records.map((r) => r.latency_ms)),
    waitMs: Math.max(...records.map((r) => r.wait_ms ?? 0)),
    usage,
    cached: votes.every((vote) => vote.cached === true),
    finishReason: records.find((r) => r.finish_reason !== undefined)?.finish_reason,
  };
  const row = { id: job.id, fields: job.fields, judge: panel.judge };
  const answered = records.filter((record) => record.error === null);
  if (answered.length === 0) return { ...buildRecord(row, { error: everyJudgeFailed(votes) }, spend), votes };
  const combined = aggregateVotes(answered.map(gradeOf), panel.aggregate, panel.rules);
  const outcome = { grade: combined.grade, scoring: answered[0]!.scoring ?? 'answer', agreement: answered.length > 1 ? combined.agreement : null, flipped: null };
  return { ...buildRecord(row, outcome, spend), votes };
}

function gradeOf(record: ResultRecord) {
  return { score: record.score, pass: record.pass, verdict: record.verdict, label: record.label, criteria: record.criteria, reasoning: record.reasoning };
}

function voteOf(judge: string, record: ResultRecord): Vote {
  return {
    judge,
    ...gradeOf(record),
    // Kept only when the judge asked more than once: its flips between orders and its retries are read from them.
    ...(record.samples ? { samples: record.samples } : {}),
    error: record.error,
    attempts: record.attempts,
    usage: record.usage,
    ...(record.cached ? { cached: true } : {}),
  };
}

/** A row no judge could grade: the first judge's error code, and every judge's message. */
function everyJudgeFailed(votes: readonly Vote[]): RecordError {
  const messages = votes.map((vote) => `${vote.judge}: ${vote.error!.message}`);
  return { code: votes[0]!.error!.code, message: `every judge failed: ${messages.join('; ')}` };
}
