/**
 * The only place verdict decides anything from an error's message text: answers whose status,
 * type and code say nothing about what went wrong, so that the documented message is all there is.
 * Each entry is the exact documented opening of the message, with where it is documented; a
 * message matches when it starts with that text (what follows names the account, the amounts…).
 */

/** What a known message means for the run. */
export type KnownMeaning =
  /** The account has no credit left, or reached the spend limit set on it: nothing can succeed until someone acts. */
  | 'no_credit'
  /** The key is not valid: nothing can succeed until the key is fixed. */
  | 'invalid_key'
  /** This one request is larger than the whole per-minute token limit: it can never pass. */
  | 'request_too_large';

interface KnownMessage {
  provider: string;
  status: number;
  opening: string;
  meaning: KnownMeaning;
  source: string;
}

export const KNOWN_MESSAGES: readonly KnownMessage[] = [
  {
    provider: 'Anthropic',
    status: 400,
    opening: 'Your credit balance is too low to access the Anthropic API.',
    meaning: 'no_credit',
    source: 'anthropics/anthropic-sdk-typescript#618; platform.claude.com/docs/en/api/errors (a 400 invalid_request_error)',
  },
  {
    provider: 'Anthropic',
    status: 400,
    opening: 'You have reached your specified API usage limits.',
    meaning: 'no_credit',
    source:
      'learn.microsoft.com/microsoft-cloud/dev/dev-proxy/concepts/anthropic-529-overloaded-error (a 400 invalid_request_error when a spend limit set on the organization or workspace is reached); wording as in anthropics/claude-code#2127',
  },
  {
    provider: 'Gemini',
    status: 400,
    opening: 'API key not valid. Please pass a valid API key.',
    meaning: 'invalid_key',
    source: 'ai.google.dev/gemini-api/docs/troubleshooting (400 INVALID_ARGUMENT, ErrorInfo reason API_KEY_INVALID when details are sent)',
  },
  {
    provider: 'OpenAI',
    status: 429,
    opening: 'Request too large for ',
    meaning: 'request_too_large',
    source: 'developers.openai.com/api/docs/guides/rate-limits (a 429 rate_limit_exceeded of type tokens that no wait can fix)',
  },
];

/** What the message of an error with this status is documented to mean, if it is in the table. */
export function knownMeaning(status: number, message: string): KnownMeaning | undefined {
  return KNOWN_MESSAGES.find((known) => known.status === status && message.startsWith(known.opening))?.meaning;
}
