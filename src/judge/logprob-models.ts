import { isReasoningModel } from '../dialect/model-families.js';
import { UsageError } from '../errors.js';

/**
 * OpenAI's reasoning models never return logprobs: they answer a request for them with 403
 * (API-NOTES §2.6). Refused before the run, so no request is spent learning it.
 */
export function refuseLogprobsModel(model: string, promptFile: string): void {
  if (!isReasoningModel(model)) return;
  throw new UsageError(
    `${promptFile} asks for scoring: logprobs, and ${model} is a reasoning model, which returns no token logprobs`,
    'use scoring: answer in the prompt, or a model that returns logprobs (such as gpt-4o-mini or gpt-4.1)',
  );
}
