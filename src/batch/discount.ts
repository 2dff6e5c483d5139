import type { ModelPrice } from '../pricing/prices.js';

/** What the Batch API charges relative to the synchronous API: half, for input, cached input and output. */
export const BATCH_PRICE_FACTOR = 0.5;

/**
 * The batch price of a model from its standard price. Applied here rather than in the price table,
 * so `--price` and the table keep meaning the synchronous list price everywhere.
 */
export function batchPrice(price: ModelPrice): ModelPrice {
  return {
    input: price.input * BATCH_PRICE_FACTOR,
    cachedInput: price.cachedInput * BATCH_PRICE_FACTOR,
    output: price.output * BATCH_PRICE_FACTOR,
  };
}
