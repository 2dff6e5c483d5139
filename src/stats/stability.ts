import * as z from 'zod';
import type { ResultRecord } from '../results/record.js';
import { RunningMoments } from './intervals.js';

const count = z.number().int().nonnegative();

/**
 * How stable the judge was over rows judged more than once (`--repeat`): the mean per-row agreement
 * with the aggregate, the share of rows whose samples all agreed, and the mean within-row standard
 * deviation of the score (null where samples carry no score).
 */
export const StabilitySummary = z.object({
  rows: count,
  samples: count,
  agreement: z.number().min(0).max(1).nullable(),
  unanimous_rate: z.number().min(0).max(1).nullable(),
  score_sd: z.number().nonnegative().nullable(),
});
export type StabilitySummary = z.infer<typeof StabilitySummary>;

/** Counts the summary's `stability` over records judged more than once, in O(1) memory. */
export class StabilityCounter {
  rows = 0;
  private samples = 0;
  private agreementSum = 0;
  private agreementRows = 0;
  private unanimous = 0;
  private sdSum = 0;
  private sdRows = 0;

  /** Counts one record that kept its samples. */
  add(record: ResultRecord): void {
    const samples = record.samples ?? [];
    this.rows += 1;
    this.samples += samples.length;
    if (record.agreement !== null) {
      this.agreementRows += 1;
      this.agreementSum += record.agreement;
      if (record.agreement === 1) this.unanimous += 1;
    }
    const scores = samples.map((sample) => sample.score).filter((score): score is number => score !== null);
    if (scores.length > 1) {
      const moments = new RunningMoments();
      for (const score of scores) moments.push(score);
      this.sdRows += 1;
      this.sdSum += Math.sqrt(moments.sampleVariance ?? 0);
    }
  }

  summary(): StabilitySummary {
    return {
      rows: this.rows,
      samples: this.samples,
      agreement: this.agreementRows === 0 ? null : this.agreementSum / this.agreementRows,
      unanimous_rate: this.agreementRows === 0 ? null : this.unanimous / this.agreementRows,
      score_sd: this.sdRows === 0 ? null : this.sdSum / this.sdRows,
    };
  }
}
