import { isReasoningModel } from '../dialect/model-families.js';

/** `--cache` forces the cache on, `--no-cache` off; absent, `auto` caches only answers that are one sample. */
export type CachePolicy = 'auto' | 'on' | 'off';

/** The flags as commander leaves them: true (--cache), false (--no-cache), undefined (neither). */
export function cachePolicyOf(flag: boolean | undefined): CachePolicy {
  return flag === true ? 'on' : flag === false ? 'off' : 'auto';
}

/**
 * Whether a request's answer may be cached under `policy`. `auto` caches an answer at temperature 0,
 * and a reasoning model's sent without a temperature (it takes only its default, and users accept
 * its answer as one sample); at any other temperature an answer is one draw of many, and replaying it
 * would hide the judge's variance, so only `--cache` caches it.
 */
export function isCacheable(policy: CachePolicy, body: { model: string; temperature?: number | null }): boolean {
  if (policy !== 'auto') return policy === 'on';
  if (body.temperature === 0) return true;
  return (body.temperature === undefined || body.temperature === null) && isReasoningModel(body.model);
}
