import * as z from 'zod';
import { compareMetric, failIfWorse } from '../stats/comparison-schema.js';

/** --bootstrap, as stats, compare and rank take it, up to `max` resamples. */
export const bootstrapResamples = (max: number) =>
  z.coerce
    .number({ error: '--bootstrap must be a number' })
    .int('--bootstrap must be a whole number')
    .min(0, '--bootstrap must be 0 (no intervals) or more')
    .max(max, `--bootstrap must be at most ${max}`);
const resamples = bootstrapResamples(1_000_000);
/** --seed of the bootstrap, as stats, compare and rank take it. */
export const seed = z.coerce
  .number({ error: '--seed must be a number' })
  .int('--seed must be a whole number')
  .min(0, '--seed must be 0 or more')
  .max(4_294_967_295, '--seed must be below 2^32');
const field = (flag: string) => z.string().trim().min(1, `${flag} must name a field`);

/** `verdict stats`'s flags after parsing (commander leaves absent ones undefined). */
export const StatsFlags = z
  .object({
    files: z.array(z.string().min(1)).min(1, 'give at least one results file'),
    labelField: field('--label-field').optional(),
    criterion: field('--criterion').optional(),
    groupBy: field('--group-by').optional(),
    pair: z
      .string()
      .transform((text) => text.split(',').map((name) => name.trim()))
      .refine((names) => names.length === 2 && names.every((name) => name !== '') && names[0] !== names[1], '--pair takes two different field names, a,b')
      .transform(([a, b]) => ({ a: a!, b: b! }))
      .optional(),
    bootstrap: resamples.default(2000),
    seed: seed.default(1),
    json: z.boolean().default(false),
  })
  .superRefine((flags, ctx) => {
    for (const [flag, given] of [
      ['--criterion', flags.criterion],
      ['--group-by', flags.groupBy],
    ] as const) {
      if (given !== undefined && flags.labelField === undefined) {
        ctx.addIssue({ code: 'custom', message: `${flag} needs --label-field: it chooses how the judge is compared with the labels`, path: [] });
      }
    }
  });
export type StatsFlags = z.infer<typeof StatsFlags>;


/** `verdict compare`'s flags after parsing. */
export const CompareFlags = z
  .object({
    a: z.string().min(1),
    b: z.string().min(1),
    criterion: field('--criterion').optional(),
    metric: compareMetric.optional(),
    failIfWorse: failIfWorse.optional(),
    markdown: z.string().min(1, '--markdown must name a file').optional(),
    bootstrap: resamples.default(2000),
    seed: seed.default(1),
    json: z.boolean().default(false),
  })
  .superRefine((flags, ctx) => {
    if (flags.failIfWorse !== undefined && flags.bootstrap === 0) {
      ctx.addIssue({ code: 'custom', message: '--fail-if-worse judges the bootstrap interval, so --bootstrap must be more than 0', path: [] });
    }
  });
export type CompareFlags = z.infer<typeof CompareFlags>;
