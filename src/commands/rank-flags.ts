import * as z from 'zod';
/** A flag naming two different row fields, `<a>,<b>` (--systems, --pair). */
export const twoFields = (flag: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((field) => field.trim()))
    .refine((fields) => fields.length === 2 && fields.every((field) => field !== ''), `${flag} takes two field names: <a>,<b>`)
    .refine((fields) => fields[0] !== fields[1], `${flag} must name two different fields`)
    .transform(([a, b]) => ({ a: a!, b: b! }));

/** --systems as rank and report take it; absent, each applies DEFAULT_SYSTEM_FIELDS (report must know it was not given). */
export const systemFields = twoFields('--systems');

/** --baseline as rank and report take it. */
export const baselineSystem = z.string().trim().min(1, '--baseline must name a system');
