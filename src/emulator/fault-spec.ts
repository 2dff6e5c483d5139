import * as z from 'zod';
import { faultKinds, type FaultRule } from './types.js';

const kindSchema = z.enum(faultKinds, { error: `must be one of ${faultKinds.join(', ')}` });

/**
 * Parses a `--fault` value, `kind[:count|:rate][@match]`: `server_error:0.1`, `rate_limit:3`,
 * `malformed@row-7`. An amount that is an integer ≥ 1 is a count; one strictly between 0 and 1 is a
 * rate. Throws an Error naming `--fault` when the spec does not fit.
 */
export function parseFaultSpec(spec: string): FaultRule {
  // The match text is everything after the first '@', so it may itself contain ':' or '@'.
  const at = spec.indexOf('@');
  const head = at === -1 ? spec : spec.slice(0, at);
  const match = at === -1 ? undefined : spec.slice(at + 1);
  if (match === '') throw new Error(`--fault ${spec}: nothing after '@' to match`);
  const [kindText = '', amountText, ...rest] = head.split(':');
  if (rest.length > 0) throw new Error(`--fault ${spec}: expected kind[:count|:rate][@match]`);

  const kind = kindSchema.safeParse(kindText.trim());
  if (!kind.success) throw new Error(`--fault ${spec}: kind ${kind.error.issues[0]?.message ?? 'is unknown'}`);
  const rule: FaultRule = { kind: kind.data };
  if (match !== undefined) rule.match = match;
  if (amountText === undefined) return rule;

  const amount = amountText.trim() === '' ? Number.NaN : Number(amountText);
  if (Number.isInteger(amount) && amount >= 1) rule.count = amount;
  else if (amount > 0 && amount < 1) rule.rate = amount;
  else throw new Error(`--fault ${spec}: '${amountText}' must be a count (an integer ≥ 1) or a rate between 0 and 1`);
  return rule;
}
