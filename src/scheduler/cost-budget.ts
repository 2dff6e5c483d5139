import { costAt, type ModelPrice } from '../pricing/prices.js';
import type { Usage } from '../results/record.js';

/** The worst-case cost of one request, held against the budget until its answer is priced. */
export interface CostReservation {
  readonly usd: number;
  /** The answer came: replace the hold by what it really cost. */
  settle(usage: Usage): void;
  /** The request was refused by the server (an HTTP error is not billed): give the hold back. */
  release(): void;
  /** The fate of the request is unknown (a timeout, a dropped connection): count the hold as spent. */
  forfeit(): void;
}

/** Asked for more than the budget has left. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
}

/**
 * `--max-cost`: spent plus reserved never exceeds the budget. Each request reserves what it could
 * cost at most (its prompt and its full max_completion_tokens) before it is sent, so even the
 * requests in flight together cannot overshoot.
 */
export class CostBudget {
  constructor(
    private readonly limitUsd: number,
    private readonly price: ModelPrice,
    // Shared by every price's view of one budget (a panel's judges), so together they stay within it.
    private readonly ledger = { spent: 0, reserved: 0 },
  ) {}

  /** The same budget, its requests priced at `price`: a panel's judge's share of one --max-cost. */
  withPrice(price: ModelPrice): CostBudget {
    return new CostBudget(this.limitUsd, price, this.ledger);
  }

  /** Dollars spent on answered requests so far (and on requests whose fate is unknown). */
  get spentUsd(): number {
    return this.ledger.spent;
  }

  /** Holds the worst-case cost of a request, or throws BudgetExhaustedError when it does not fit. */
  reserve(promptTokens: number, maxCompletionTokens: number): CostReservation {
    const usd = costAt(this.price, { prompt_tokens: promptTokens, completion_tokens: maxCompletionTokens, cached_tokens: 0 });
    const ledger = this.ledger;
    if (ledger.spent + ledger.reserved + usd > this.limitUsd) {
      throw new BudgetExhaustedError(
        `the next request could cost $${usd.toFixed(4)}, and $${ledger.spent.toFixed(4)} spent plus ` +
          `$${ledger.reserved.toFixed(4)} held for requests in flight leave less of the $${this.limitUsd} budget (--max-cost)`,
      );
    }
    ledger.reserved += usd;
    let open = true;
    const close = (spentNow: number) => {
      if (!open) return;
      open = false;
      ledger.reserved -= usd;
      ledger.spent += spentNow;
    };
    return {
      usd,
      settle: (usage) => close(costAt(this.price, usage)),
      release: () => close(0),
      forfeit: () => close(usd),
    };
  }
}
