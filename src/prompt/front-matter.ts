import * as z from 'zod';

/** Judge modes SPEC.md names. Only some are implemented; the rest are refused with a clear message. */
export const JudgeMode = z.enum(['score', 'pass-fail', 'pairwise', 'classify']);
export type JudgeMode = z.infer<typeof JudgeMode>;

/** Modes this build can grade with. */
export const SUPPORTED_MODES: readonly JudgeMode[] = ['score', 'pass-fail'];

const Scale = z
  .strictObject({ min: z.number().int(), max: z.number().int() })
  .refine((scale) => scale.min < scale.max, { message: 'scale.min must be below scale.max' });

/**
 * The YAML front matter of a judge prompt file. Strict: an unknown key is almost always a typo
 * (`scael:`), and silently ignoring it would grade with a different judge than the author meant.
 */
export const FrontMatter = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, ".", "_" or "-"')
      .optional(),
    description: z.string().optional(),
    mode: JudgeMode.default('score'),
    scale: Scale.optional(),
    pass: z.number().optional(),
    model: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).default(0),
    max_tokens: z.number().int().positive().default(512),
  })
  .superRefine((fm, ctx) => {
    if (fm.mode !== 'score' && fm.scale !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['scale'], message: `scale only applies to mode "score", not "${fm.mode}"` });
    }
    if (fm.mode !== 'score' && fm.pass !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pass'], message: `pass only applies to mode "score", not "${fm.mode}"` });
    }
    const scale = fm.scale ?? DEFAULT_SCALE;
    if (fm.mode === 'score' && fm.pass !== undefined && (fm.pass < scale.min || fm.pass > scale.max)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pass'],
        message: `pass ${fm.pass} is outside the scale ${scale.min}..${scale.max}`,
      });
    }
  });
export type FrontMatter = z.infer<typeof FrontMatter>;

/** The scale a `score` prompt uses when its front matter names none. */
export const DEFAULT_SCALE = { min: 1, max: 5 } as const;
