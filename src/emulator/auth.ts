import { invalidApiKey, missingApiKey } from './errors.js';
import type { Reply } from './http-io.js';

/** The key as the client sent it: the Authorization header minus `Bearer `, or the whole header. */
export function keyAsSent(authorization: string | undefined): string {
  if (authorization === undefined) return '';
  const bearer = /^Bearer\s+(.*)$/i.exec(authorization);
  return bearer ? bearer[1]! : authorization;
}

/**
 * The 401 a request earns, or undefined when it may pass. With `apiKey` set the header must be
 * exactly `Bearer <apiKey>`; without it any non-empty bearer token passes.
 */
export function authFailure(authorization: string | undefined, apiKey: string | undefined): Reply | undefined {
  const key = keyAsSent(authorization);
  if (authorization === undefined || key.trim() === '') return missingApiKey();
  if (apiKey !== undefined) return authorization === `Bearer ${apiKey}` ? undefined : invalidApiKey(key);
  return /^Bearer\s/i.test(authorization) ? undefined : invalidApiKey(key);
}
