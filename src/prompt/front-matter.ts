import * as z from 'zod';
import { REASONING_EFFORTS } from '../dialect/model-families.js';

/** Judge modes SPEC.md names. */
export const JudgeMode = z.enum(['score', 'pass-fail', 'pairwise', 'classify']);
export type JudgeMode = z.infer<typeof JudgeMode>;

/** Modes this build can grade with. */
export const SUPPORTED_MODES: readonly JudgeMode[] = ['score', 'pass-fail', 'pairwise', 'classify'];

/** How a score is produced: read from the answer, or weighted by the answer's token probabilities (G-Eval). */
export const Scoring = z.enum(['answer', 'logprobs']);

const Scale = z
  .strictObject({ min: z.number().int(), max: z.number().int() })
  .refine((scale) => scale.min < scale.max, { message: 'scale.min must be below scale.max' });

// Names that become JSON-schema property names and answer keys: short and unambiguous.
const KEY = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const keyName = z.string().regex(KEY, 'use a letter, then letters, digits, "_" or "-" (at most 64)');

/** The row fields a pairwise judge compares; the template always shows them as `output_a` / `output_b`. */
const Pair = z.strictObject({ a: z.string().min(1), b: z.string().min(1) });
export const DEFAULT_PAIR = { a: 'output_a', b: 'output_b' } as const;

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
    /** classify: label → score. */
    choices: z.record(keyName, z.number()).optional(),
    /** score: one score per criterion, the row's score their mean. */
    criteria: z.array(keyName).min(1).optional(),
    /** pairwise: which row fields hold the two answers. */
    pair: Pair.optional(),
    /** pairwise: judge both orders (the default) or only as the dataset has them. */
    swap: z.boolean().optional(),
    scoring: Scoring.default('answer'),
    model: z.string().min(1).optional(),
    /** Absent: 0, except for reasoning models, which are sent none (they take only their default). */
    temperature: z.number().min(0).max(2).optional(),
    /** The budget for the answer; a reasoning model is also given room for its reasoning. */
    max_tokens: z.number().int().positive().default(512),
    /** Sent only when set (or given by --reasoning-effort). */
    reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  })
  .superRefine((fm, ctx) => {
    const only = (key: 'scale' | 'choices' | 'criteria' | 'pair' | 'swap', modes: JudgeMode[]) => {
      if (fm[key] !== undefined && !modes.includes(fm.mode)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} only applies to mode ${modes.map((m) => `"${m}"`).join(' or ')}, not "${fm.mode}"` });
      }
    };
    only('scale', ['score']);
    only('criteria', ['score']);
    only('choices', ['classify']);
    only('pair', ['pairwise']);
    only('swap', ['pairwise']);
    if (fm.pass !== undefined && fm.mode !== 'score' && fm.mode !== 'classify') {
      ctx.addIssue({ code: 'custom', path: ['pass'], message: `pass only applies to mode "score" or "classify", not "${fm.mode}"` });
    }
    if (fm.mode === 'classify') {
      const labels = Object.keys(fm.choices ?? {});
      if (labels.length < 2) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'mode "classify" needs choices: at least two labels, each mapped to a score' });
    }
    if (fm.criteria && new Set(fm.criteria).size !== fm.criteria.length) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'criteria names must be distinct' });
    }
    if (fm.criteria?.includes('reasoning')) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: '"reasoning" is the answer\'s own field; name the criterion otherwise' });
    }
    if (fm.scoring === 'logprobs' && fm.mode !== 'score') {
      ctx.addIssue({ code: 'custom', path: ['scoring'], message: `scoring: logprobs weights the scale's tokens, so it needs mode "score", not "${fm.mode}"` });
    }
    if (fm.pair && fm.pair.a === fm.pair.b) {
      ctx.addIssue({ code: 'custom', path: ['pair'], message: 'pair.a and pair.b must name two different fields' });
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
