import { describe, expect, it } from 'vitest';
import { isMissing, readCategoryLabel, readNumberLabel, readPairwiseLabel, readPassLabel, valueAtPath } from '../../src/stats/labels.js';

describe('readPairwiseLabel', () => {
  it.each([
    [1, 'A'],
    ['1', 'A'],
    ['a', 'A'],
    ['model_a', 'A'],
    ['output_1', 'A'],
    ['response1', 'A'],
    [2, 'B'],
    ['B', 'B'],
    ['model_b', 'B'],
    ['output_2', 'B'],
    ['response2', 'B'],
    [0, 'tie'],
    ['0', 'tie'],
    ['Tie', 'tie'],
    ['C', 'tie'],
    ['tie (bothbad)', 'tie'],
    ['tie (inconsistent)', 'tie'],
    [' model_a ', 'A'],
  ])('reads %j as %s', (value, expected) => {
    expect(readPairwiseLabel(value)).toBe(expected);
  });

  it.each([3, 'maybe', true, null, { a: 1 }])('cannot read %j', (value) => {
    expect(readPairwiseLabel(value)).toBeUndefined();
  });
});

describe('readNumberLabel, readPassLabel, readCategoryLabel', () => {
  it('reads numbers and numeric text, and nothing else', () => {
    expect(readNumberLabel(4)).toBe(4);
    expect(readNumberLabel(' 3.6666666667 ')).toBeCloseTo(3.6666666667, 12);
    expect(readNumberLabel('-1e2')).toBe(-100);
    for (const value of ['high', '4 stars', '', true, Number.NaN]) expect(readNumberLabel(value)).toBeUndefined();
  });

  it('reads pass/fail in the usual spellings', () => {
    expect([true, 'PASS', 'yes', 1, '1', 'true'].map(readPassLabel)).toEqual([true, true, true, true, true, true]);
    expect([false, 'fail', 'No', 0, '0', 'false'].map(readPassLabel)).toEqual([false, false, false, false, false, false]);
    expect(readPassLabel('perhaps')).toBeUndefined();
  });

  it('keeps category labels as trimmed text', () => {
    expect(readCategoryLabel(' bug ')).toBe('bug');
    expect(readCategoryLabel(3)).toBe('3');
    expect(readCategoryLabel({})).toBeUndefined();
  });

  it('treats absent, null and empty values as missing', () => {
    expect([undefined, null, '', '  '].every(isMissing)).toBe(true);
    expect([0, false, 'x'].some(isMissing)).toBe(false);
  });
});

describe('valueAtPath', () => {
  it('follows dotted paths into nested objects', () => {
    expect(valueAtPath({ scores: { overall: 4.5 } }, 'scores.overall')).toBe(4.5);
    expect(valueAtPath({ scores: { overall: 4.5 } }, 'scores.missing')).toBeUndefined();
  });

  it('prefers a key that holds the dots itself', () => {
    expect(valueAtPath({ 'scores.overall': 1, scores: { overall: 2 } }, 'scores.overall')).toBe(1);
  });

  it('reads a nested object kept as JSON text, as a CSV results file keeps it', () => {
    expect(valueAtPath({ scores: '{"overall":3.5,"coherence":2}' }, 'scores.coherence')).toBe(2);
  });
});
