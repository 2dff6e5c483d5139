import { describe, expect, it } from 'vitest';
import { estimateCostUsd, modelPrice } from '../../src/pricing/prices.js';

const million = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, cached_tokens: 0 };

describe('estimateCostUsd', () => {
  it.each([
    ['gpt-4o-mini', 0.15 + 0.6],
    ['gpt-4o', 2.5 + 10],
    ['gpt-4o-mini-2024-07-18', 0.15 + 0.6],
    ['gpt-4o-2024-08-06', 2.5 + 10],
    ['gpt-4.1-mini-2025-04-14', 0.4 + 1.6],
    ['gpt-4.1', 2 + 8],
    ['gpt-5-nano', 0.05 + 0.4],
    ['o4-mini-2025-04-16', 1.1 + 4.4],
    ['GPT-4o-Mini', 0.15 + 0.6],
    // The replacement OpenAI names for gpt-4o-mini (developers.openai.com/api/docs/models/gpt-6-luna, read 2026-12-04).
    ['gpt-6-luna', 0.1 + 0.5],
  ])('prices a million tokens in and out on %s at $%s', (model, expected) => {
    expect(estimateCostUsd(model, million)).toBeCloseTo(expected, 10);
  });

  // gpt-6.1-sol: no price read from a page of OpenAI's, so none at all; gpt-6-luna-fast is priced otherwise.
  it.each([['llama-3.1-70b'], ['gpt-4o-audio-preview'], ['gpt-4o-minis'], ['my-gpt-4o'], ['gpt-6.1-sol'], ['gpt-6-luna-fast']])(
    'has no price for %s',
    (model) => {
      expect(estimateCostUsd(model, million)).toBeNull();
      expect(modelPrice(model)).toBeUndefined();
    },
  );

  it('prices cached tokens, a part of prompt_tokens, at the cached rate', () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 0, cached_tokens: 400_000 };
    // gpt-4o: 600k at 2.50 + 400k at 1.25 per million
    expect(estimateCostUsd('gpt-4o', usage)).toBeCloseTo(1.5 + 0.5, 10);
    // gpt-6-luna: cached input at a tenth of input.
    expect(estimateCostUsd('gpt-6-luna', usage)).toBeCloseTo(0.06 + 0.004, 10);
  });
});
