import { readFileSync } from 'node:fs';

/**
 * Reference values computed by SciPy, scikit-learn and NumPy:
 * test/fixtures/reference/stats.py writes test/fixtures/reference/stats.json.
 */
export interface Reference {
  correlation: { name: string; x: number[]; y: number[]; spearman: number | null; kendall: number | null; pearson: number | null }[];
  categorical: {
    name: string;
    human: string[];
    judge: string[];
    labels: string[];
    weights: 'none' | 'quadratic';
    confusion: number[][];
    accuracy: number;
    kappa: number | null;
    macro_f1: number;
  }[];
  sign_test: [number, number, number][];
  prng: Record<string, number[]>;
  percentile: { values: number[]; q: number[]; expected: number[] };
  compare: {
    a: number[];
    b: number[];
    seed: number;
    resamples: number;
    mean_a: number;
    mean_b: number;
    mean_diff: number;
    mean_diff_ci95: [number, number];
    wins: number;
    ties: number;
    losses: number;
    sign_test_p: number;
  };
  agreement_rows: {
    name: string;
    human: (string | number)[];
    judge: (string | number)[];
    scale: 'pairwise' | 'ordinal';
    seed: number;
    resamples: number;
    point: Record<string, number | null>;
    ci95: Record<string, [number, number] | null>;
  }[];
  grouped: {
    groups: { key: string; human: number[]; judge: number[] }[];
    seed: number;
    resamples: number;
    used: number;
    point: Record<'spearman' | 'kendall' | 'pearson', number>;
    ci95: Record<'spearman' | 'kendall' | 'pearson', [number, number]>;
  };
}

export const reference: Reference = JSON.parse(
  readFileSync(new URL('../fixtures/reference/stats.json', import.meta.url), 'utf8'),
) as Reference;

/** Digits a figure must match the reference to: the sums are the same, only their order may differ. */
export const DIGITS = 12;
