import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError, CostBudget } from '../../src/scheduler/cost-budget.js';

// $1 per million tokens in and out, so a token costs a millionth of a dollar.
const price = { input: 1, cachedInput: 0.5, output: 1 };
const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, cached_tokens: 0 });

describe('CostBudget', () => {
  it('holds the worst case of requests in flight, so together they cannot overshoot', () => {
    const budget = new CostBudget(0.001, price);
    const first = budget.reserve(300, 200);
    budget.reserve(300, 200);
    expect(() => budget.reserve(1, 0)).toThrow(BudgetExhaustedError);
    first.release();
    expect(() => budget.reserve(300, 200)).not.toThrow();
  });

  it('replaces a hold by the real cost once the answer is priced', () => {
    const budget = new CostBudget(0.001, price);
    budget.reserve(300, 200).settle(usage(300, 20));
    expect(budget.spentUsd).toBeCloseTo(0.00032, 12);
    // 320 spent leaves room for one more worst case of 500, not two.
    budget.reserve(300, 200);
    expect(() => budget.reserve(300, 200)).toThrow(/--max-cost/);
  });

  it('counts a request of unknown fate as spent at its worst case, and settles each hold once', () => {
    const budget = new CostBudget(1, price);
    const hold = budget.reserve(1_000, 1_000);
    hold.forfeit();
    hold.settle(usage(10, 10));
    expect(budget.spentUsd).toBeCloseTo(0.002, 12);
  });

  it("prices a panel's judges each by its own model, against the one budget they share", () => {
    const budget = new CostBudget(0.001, price);
    // A judge ten times dearer than the budget's first price.
    const dear = budget.withPrice({ input: 10, cachedInput: 5, output: 10 });
    dear.reserve(30, 20).settle(usage(30, 20));
    expect(budget.spentUsd).toBeCloseTo(0.0005, 12);
    expect(dear.spentUsd).toBeCloseTo(0.0005, 12);
    // What the dear judge spent is gone for the cheap one too.
    budget.reserve(300, 100);
    expect(() => budget.reserve(100, 1)).toThrow(BudgetExhaustedError);
  });
});
