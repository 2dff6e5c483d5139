import { UsageError } from '../errors.js';
import { Summary, SummaryAccumulator } from './summary.js';
import type { BootstrapOptions } from './bootstrap.js';
import { LabelCollector } from './collect-labels.js';
import { computeAgreement } from './judge-agreement.js';
import { JudgeEvidence } from './judge-field.js';
import { readLocatedResults } from '../results/read-results.js';
import { pairPathsIn, type PairPaths } from './pair-texts.js';
import { requestsOf, retriesOf } from '../results/record.js';
import { voteAsRecord } from './panel-summary.js';
import { panelAggregateIn, readManifestBeside } from '../results/manifest.js';

/** What `verdict stats` is asked for. */
export interface StatsOptions {
  files: string[];
  /** The row field with the human label; without it, only the summary. */
  labelField?: string;
  /** The criterion to compare with the label, instead of the one chosen by name. */
  criterion?: string;
  /** Compute correlations within groups of this row field and average them. */
  groupBy?: string;
  /** Pairwise: where the rows hold their two answers; by default the first file's manifest says. */
  pair?: PairPaths;
  bootstrap: BootstrapOptions;
}

/** The summary of the files' records (with `agreement` when a label field was given), and how the files were read. */
export interface StatsReport {
  summary: Summary;
  /** Records read, over all files. */
  records: number;
  /** Records dropped because a later record (in the same file or a later one) has their id. */
  replaced: number;
}

/**
 * Recomputes the summary of results files and, with a label field, the judge's agreement with the
 * human labels. Several files are read as one: a later record of an id replaces an earlier one, as
 * `--resume` does. Two streaming passes: the first finds each id's last record (and what the
 * records hold), the second counts and pairs only those, so memory holds ids and paired values,
 * never the records.
 */
export async function computeStats(options: StatsOptions): Promise<StatsReport> {
  if (options.files.length === 0) throw new UsageError('give at least one results file');
  const lastOf = new Map<string, number>();
  const evidence = new JudgeEvidence();
  let position = 0;
  let firstPromptSha: string | undefined;
  for (const file of options.files) {
    for await (const { record } of readLocatedResults(file)) {
      firstPromptSha ??= record.judge.prompt_sha;
      lastOf.set(record.id, position++);
      // From every record, replaced or not: which fields a file holds does not change between an
      // id's records, and deciding now spares a third pass.
      evidence.add(record);
    }
  }
  if (position === 0) throw new UsageError(`no records in ${options.files.join(', ')}`);

  const { labelField } = options;
  const judgeField = labelField === undefined ? undefined : evidence.choose(labelField, options.criterion);
  const newCollector = labelField === undefined || judgeField === undefined ? undefined : () => new LabelCollector(labelField, judgeField, options.groupBy);
  const collector = newCollector?.();
  // A panel's records: each judge's votes against the labels too, as though that judge had run alone.
  const judgeCollectors = new Map<string, LabelCollector>();
  // The first file's manifest: where its rows hold their two answers (pairwise), as its run
  // rendered them, and a panel's way of folding its votes, which the records do not hold.
  const manifest = await readManifestBeside(options.files[0]!);
  const accumulator = new SummaryAccumulator(undefined, options.pair ?? pairPathsIn(manifest, firstPromptSha));
  const models = new Set<string>();
  const prompts = new Set<string>();
  let requests = 0;
  let retries = 0;
  position = 0;
  for (const file of options.files) {
    for await (const { record, location } of readLocatedResults(file)) {
      if (lastOf.get(record.id) !== position++) continue;
      accumulator.add(record);
      models.add(record.judge.model);
      prompts.add(record.judge.prompt);
      // A cached row sent nothing: its attempts are the answers as first got.
      requests += requestsOf(record);
      retries += retriesOf(record);
      collector?.add(record, location);
      if (newCollector) {
        for (const vote of record.votes ?? []) {
          let judge = judgeCollectors.get(vote.judge);
          if (!judge) judgeCollectors.set(vote.judge, (judge = newCollector()));
          judge.add(voteAsRecord(record, vote), location);
        }
      }
    }
  }

  // Requests and retries are rebuilt from each record's attempts, as `verdict merge` does; 429s
  // and wall time are not recorded per row, so they are 0 here and the output says so.
  const aggregate = panelAggregateIn(manifest);
  const summary = accumulator.finish({
    status: 'complete',
    rows: lastOf.size,
    requests,
    retries,
    rateLimited: 0,
    wallMs: 0,
    model: [...models].join(', '),
    prompt: [...prompts].join(', '),
    ...(aggregate ? { aggregate } : {}),
  });
  const computed = collector ? computeAgreement(collector.pairs(), options.bootstrap) : undefined;
  const byOrder = collector?.byOrder();
  const agreement = computed && byOrder ? { ...computed, by_order: byOrder } : computed;
  if (summary.panel) {
    for (const judge of summary.panel.judges) {
      const votes = judgeCollectors.get(judge.judge);
      if (votes) judge.agreement = computeAgreement(votes.pairs(), options.bootstrap);
    }
  }
  return {
    summary: Summary.parse(agreement ? { ...summary, agreement } : summary),
    records: position,
    replaced: position - lastOf.size,
  };
}
