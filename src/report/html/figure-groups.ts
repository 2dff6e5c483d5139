import { integer, percent } from '../format.js';
import type { Summary } from '../../stats/summary.js';
import { panelGroup } from './panel-figures.js';
import type { Figure, FigureGroup } from './report-data.js';

/** Agreement with human labels, as `verdict stats --label-field` puts it in a summary. */
type AgreementFigures = NonNullable<Summary['agreement']>;

/** The summary's agreement with human labels, when it has one. */
export function agreementOf(summary: Summary): AgreementFigures | undefined {
  return summary.agreement ?? undefined;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const interval = (ci: [number, number] | null | undefined, format: (x: number) => string) =>
  ci ? { detail: `95% CI ${format(ci[0])} to ${format(ci[1])}` } : {};
const coefficient = (x: number) => x.toFixed(2);

function agreementGroup(agreement: AgreementFigures): FigureGroup {
  const figures: Figure[] = [];
  if (isNumber(agreement.n)) {
    const skipped = Object.entries(agreement.skipped ?? {}).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
    figures.push({
      key: 'agreement_n',
      label: 'rows compared',
      value: integer(agreement.n),
      ...(skipped.length > 0 ? { detail: `left out: ${skipped.map(([why, n]) => `${why.replace(/_/g, ' ')} ${integer(n)}`).join(' · ')}` } : {}),
    });
  }
  if (isNumber(agreement.accuracy)) figures.push({ key: 'accuracy', label: 'accuracy', value: percent(agreement.accuracy), ...interval(agreement.accuracy_ci95, percent) });
  if (isNumber(agreement.kappa)) {
    const label = agreement.kappa_weights === 'quadratic' ? "Cohen's kappa (quadratic)" : "Cohen's kappa";
    figures.push({ key: 'kappa', label, value: coefficient(agreement.kappa), ...interval(agreement.kappa_ci95, coefficient) });
  }
  if (isNumber(agreement.macro_f1)) figures.push({ key: 'macro_f1', label: 'macro F1', value: coefficient(agreement.macro_f1), ...interval(agreement.macro_f1_ci95, coefficient) });
  for (const key of ['spearman', 'kendall', 'pearson'] as const) {
    const value = agreement[key];
    if (isNumber(value)) figures.push({ key, label: key === 'kendall' ? "Kendall's tau" : key === 'spearman' ? "Spearman's rho" : "Pearson's r", value: coefficient(value), ...interval(agreement[`${key}_ci95`], coefficient) });
  }
  const compared = [`The judge's ${agreement.judge_field} against the human label in the row field "${agreement.label_field}".`];
  return { key: 'agreement', title: 'Agreement with human labels', figures, notes: [...compared, ...(agreement.notes ?? [])] };
}

function stabilityGroup(stability: NonNullable<Summary['stability']>): FigureGroup {
  const figures: Figure[] = [
    { key: 'stability_rows', label: 'rows judged more than once', value: integer(stability.rows), detail: `${integer(stability.samples)} judgements` },
  ];
  if (stability.agreement !== null) figures.push({ key: 'stability_agreement', label: 'agreement with the row’s verdict', value: percent(stability.agreement) });
  if (stability.unanimous_rate !== null) figures.push({ key: 'unanimous_rate', label: 'unanimous rows', value: percent(stability.unanimous_rate) });
  if (stability.score_sd !== null) figures.push({ key: 'score_sd', label: 'score sd within a row', value: stability.score_sd.toFixed(2) });
  return { key: 'stability', title: 'Stability over repeats', figures, notes: [] };
}

function scoringGroup(scoring: Record<string, number>): FigureGroup {
  return {
    key: 'scoring',
    title: 'How scores were produced',
    figures: Object.entries(scoring).map(([method, n]) => ({ key: `scoring_${method}`, label: method === 'logprobs' ? 'weighted by token probabilities' : 'read from the answer', value: integer(n) })),
    notes: [],
  };
}

/** The topic groups a summary has figures for, in the order the report shows them. */
export function figureGroups(summary: Summary): FigureGroup[] {
  const groups: FigureGroup[] = [];
  if (summary.panel) groups.push(panelGroup(summary.panel));
  const agreement = agreementOf(summary);
  if (agreement) groups.push(agreementGroup(agreement));
  if (summary.stability) groups.push(stabilityGroup(summary.stability));
  // Every record names how it was scored; worth a group only when some score was not read from the answer.
  if (summary.scoring && Object.keys(summary.scoring).some((method) => method !== 'answer')) groups.push(scoringGroup(summary.scoring));
  return groups;
}
