import type { Usage } from '../results/record.js';

/** List prices of one model, in USD per million tokens. */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

/**
 * OpenAI list prices (Standard tier, USD per million tokens) of the models a judge commonly runs on.
 * Checked 2026-12-04 (docs/servers.md, "Models and prices"): gpt-6-luna from its model page,
 * developers.openai.com/api/docs/models/gpt-6-luna (prompts up to 272K input tokens; above that
 * OpenAI charges 2x input and 1.5x output for the whole request, which this flat table does not
 * model). Models OpenAI has shut down or will shut down soon (o4-mini; the gpt-5 family on
 * 2026-12-11, developers.openai.com/api/docs/deprecations) keep their price: older results are
 * still reported and resumed. A model not listed has no price, and no price beats a wrong one.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-6-luna': { input: 0.1, cachedInput: 0.01, output: 0.5 },
};

// A snapshot is the family name plus a date: gpt-4o-mini-2024-07-18, or gpt-4-0613 in the older style.
// Anything else after the name (gpt-4o-audio-preview, gpt-5-chat-latest) may be priced differently,
// and no price beats a wrong one.
const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** The price of a model or of a dated snapshot of it, or undefined when the table lacks it. */
export function modelPrice(model: string): ModelPrice | undefined {
  const name = model.trim().toLowerCase();
  const exact = MODEL_PRICES[name];
  if (exact !== undefined) return exact;
  // The suffix must be a whole date, so gpt-4o-mini-… can never be read as gpt-4o plus a suffix.
  for (const [family, price] of Object.entries(MODEL_PRICES)) {
    if (name.startsWith(family) && SNAPSHOT_SUFFIX.test(name.slice(family.length))) return price;
  }
  return undefined;
}

/** `--price in/out[/cached]` in USD per million tokens; cached input defaults to half of input. */
export function parsePriceSpec(text: string): ModelPrice | undefined {
  const parts = text.split('/').map((part) => Number(part.trim()));
  if (parts.length < 2 || parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return undefined;
  const [input, output, cachedInput] = parts as [number, number, number | undefined];
  return { input, output, cachedInput: cachedInput ?? input / 2 };
}

/** The cost in USD of this usage at this price. */
export function costAt(price: ModelPrice, usage: Usage): number {
  // cached_tokens are a part of prompt_tokens, billed at the cached rate instead of the input rate.
  const cached = Math.min(usage.cached_tokens, usage.prompt_tokens);
  const uncached = usage.prompt_tokens - cached;
  return (uncached * price.input + cached * price.cachedInput + usage.completion_tokens * price.output) / 1e6;
}

/**
 * Estimated cost in USD of this usage on this model, or null for a model without a known price.
 * `override` (from --price) prices the run's judge model instead of the table.
 */
export function estimateCostUsd(model: string, usage: Usage, override?: ModelPrice): number | null {
  const price = override ?? modelPrice(model);
  return price === undefined ? null : costAt(price, usage);
}

/** What tokens spent by several models cost, each at its price; null when one of them has none (a part-sum would understate it). */
export function costByModel(usageByModel: ReadonlyMap<string, Usage>, price?: { model: string; price: ModelPrice }): number | null {
  let cost: number | null = 0;
  for (const [model, usage] of usageByModel) {
    const modelCost = estimateCostUsd(model, usage, price?.model === model ? price.price : undefined);
    cost = cost === null || modelCost === null ? null : cost + modelCost;
  }
  return cost;
}
