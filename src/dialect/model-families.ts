/**
 * The model families verdict can name, and the request parameters they take. Knowledge of
 * OpenAI's models lives here; everything else is learned from the server's answers (params.ts).
 *
 * Sources (checked 2026-12):
 * - OpenAI reasoning guide, "Limitations" (platform.openai.com/docs/guides/reasoning): the o-series
 *   and the gpt-5 family take only the default temperature (1) and no top_p, penalties, logit_bias
 *   or logprobs; as applied by vercel/ai's isReasoningModel (vercel/ai#10932) and listed in
 *   API-NOTES §11. A refusal looks like 400 `unsupported_value`, param `temperature`: "Unsupported
 *   value: 'temperature' does not support 0 with this model. Only the default (1) value is supported."
 * - `-chat` models (gpt-5-chat-latest) are the non-reasoning chat variants and take temperature.
 * - openai-node `ReasoningEffort` (resources/shared.ts): none | minimal | low | medium | high | xhigh
 *   | max. gpt-5.1 and later accept `none`, and with it take temperature again (vercel/ai#10932,
 *   quoting the reasoning guide); models before gpt-5.1 default to medium.
 */

/** `reasoning_effort` values the API names; which a model accepts varies, and a refusal is adapted to. */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The model name without a router's provider prefix (`openai/gpt-5` on OpenRouter, LiteLLM). */
function bareName(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Whether `model` is one of OpenAI's reasoning models: o1, o3, o4-mini…, gpt-5 and later, but not `-chat` variants. */
export function isReasoningModel(model: string): boolean {
  const name = bareName(model);
  if (name.includes('-chat')) return false;
  if (/^o\d+(?:$|[-.])/.test(name)) return true;
  const gpt = /^gpt-(\d+)(?:$|[-.])/.exec(name);
  return gpt !== null && Number(gpt[1]) >= 5;
}

/**
 * Whether the judge model takes this temperature. A reasoning model takes only its default (1),
 * unless it reasons not at all (`reasoning_effort: none`, gpt-5.1 and later).
 */
export function takesTemperature(model: string, temperature: number, effort: ReasoningEffort | undefined): boolean {
  if (!isReasoningModel(model) || effort === 'none') return true;
  return temperature === 1;
}

/**
 * Tokens of room for reasoning beyond the answer's budget, by effort: verdict's own choice, since
 * reasoning counts inside max_completion_tokens and a budget it fills leaves no answer at all
 * (gpt-5 at effort minimal with max_completion_tokens 400 billed all 400 as reasoning and answered
 * nothing: community.openai.com/t/1344907; "you spend 4000 tokens on internal reasoning and the
 * generation is terminated before you ever see any output": community.openai.com/t/1285430). A
 * judge's question is narrow, so verdict starts here, re-asks a starved answer with more, and
 * raises the run's room when that keeps happening.
 */
const HEADROOM: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 2_048,
  low: 4_096,
  medium: 8_192,
  high: 16_384,
  xhigh: 32_768,
  max: 65_536,
};

/** Room for reasoning verdict gives `model` by default: none for a model it cannot name as a reasoning model. */
export function reasoningHeadroom(model: string, effort: ReasoningEffort | undefined): number {
  if (!isReasoningModel(model)) return 0;
  return HEADROOM[effort ?? 'medium'];
}

/** What a starved answer's re-ask adds at least, for models with no headroom of their own (Gemini, Ollama thinking). */
export const STARVED_FLOOR_TOKENS = HEADROOM.medium;

/** The largest `max_completion_tokens` verdict ever asks for (gpt-5 allows 128k): bounds what a re-ask may cost. */
export const MAX_COMPLETION_CAP = 65_536;
