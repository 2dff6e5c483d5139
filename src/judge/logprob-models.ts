import { UsageError } from '../errors.js';

/**
 * Model families that never return logprobs: OpenAI's reasoning models answer a request for them
 * with 403. Refused before the run, so no request is spent learning it.
 */
const NO_LOGPROBS = /^(?:o\d(?:$|[-.])|gpt-5(?!-chat)(?:$|[-.]))/;

/** Throws a UsageError when `scoring: logprobs` meets a model known not to give them. */
export function refuseLogprobsModel(model: string, promptFile: string): void {
  if (!NO_LOGPROBS.test(model)) return;
  throw new UsageError(
    `${promptFile} asks for scoring: logprobs, and ${model} is a reasoning model, which returns no token logprobs`,
    'use scoring: answer in the prompt, or a model that returns logprobs (such as gpt-4o-mini or gpt-4.1)',
  );
}
