import { malformedAnswer, refusalText, truncateAnswer } from './answers.js';
import { chatCompletion } from './completion.js';
import * as errors from './errors.js';
import type { Reply } from './http-io.js';
import { providerFault } from './provider-faults.js';
import type { ErrorDialect, FaultRule } from './types.js';

/** What a fault reply may echo or reuse from the request. */
export interface FaultRequest {
  model: string;
  promptTokens: number;
  seed: number;
  /** The answer the request would have got without the fault (for `truncated`). */
  normalContent: () => string;
  /** The bearer token as the client sent it (for `unauthorized`). */
  keyAsSent: string;
  /** The RPM named in a `rate_limit` fault's message. */
  rpm: number | undefined;
  /** Whose shape error faults take; OpenAI's when absent. */
  dialect?: ErrorDialect;
}

/** The reply a fault rule produces for a request. */
export function faultReply(rule: FaultRule, request: FaultRequest): Reply {
  const completion = (content: string | null, extra: { refusal?: string; finishReason?: 'length' } = {}): Reply => ({
    type: 'json',
    status: 200,
    body: chatCompletion({ model: request.model, content, promptTokens: request.promptTokens, seed: request.seed, ...extra }),
  });
  const provider = request.dialect && request.dialect !== 'openai' ? providerFault(rule, { model: request.model, dialect: request.dialect }) : undefined;
  if (provider) return provider;
  switch (rule.kind) {
    case 'rate_limit':
      return errors.rateLimitFault(request.model, rule.retryAfterMs ?? 200, request.rpm ?? 500);
    case 'server_error':
      return errors.serverError(rule.status ?? 500);
    case 'overloaded':
      return errors.overloaded();
    case 'drop':
      return { type: 'drop' };
    case 'hang':
      return { type: 'hang' };
    case 'malformed':
      return completion(malformedAnswer);
    case 'empty':
      return completion('');
    case 'refusal':
      return completion(null, { refusal: refusalText });
    case 'truncated':
      return completion(truncateAnswer(request.normalContent()), { finishReason: 'length' });
    case 'not_json':
      return { type: 'html', status: 200, body: proxyErrorPage };
    case 'insufficient_quota':
      return errors.insufficientQuota();
    case 'unauthorized':
      return errors.invalidApiKey(request.keyAsSent);
    case 'forbidden':
      return errors.errorReply(403, { message: 'You are not allowed to request logprobs from this model', type: 'invalid_request_error' });
    case 'bad_request':
      return errors.invalidRequest(
        "Invalid value for 'messages': the emulator was told to reject this request.",
        'messages',
        'invalid_value',
      );
    case 'spend_limit':
      return errors.errorReply(429, {
        message: 'You have reached the spend limit of this project. Raise it in the project settings.',
        type: 'insufficient_quota',
        code: 'project_spend_limit_exceeded',
      });
    case 'error_in_ok':
      return { type: 'json', status: 200, body: { error: { code: 502, message: 'Provider returned error' } } };
    case 'payment_required':
      return errors.errorReply(402, { message: 'Payment required: the account has no credit left.', type: 'insufficient_quota', code: 'payment_required' });
  }
}

/** What a misbehaving proxy in front of the API sends instead of JSON. */
const proxyErrorPage =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
