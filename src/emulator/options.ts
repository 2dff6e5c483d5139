import * as z from 'zod';
import { reasoningBehaviourSchema, type ReasoningBehaviour } from './reasoning.js';
import { profileOptions } from './profiles.js';
import { errorDialects, faultKinds, rateHeaderDialects, type EmulatorOptions, type ErrorDialect, type FaultRule, type RateHeaderDialect } from './types.js';

/** A fault rule as accepted from code, the control endpoint and the command line. */
export const faultRuleSchema = z.strictObject({
  kind: z.enum(faultKinds),
  count: z.int().min(0).optional(),
  rate: z.number().min(0).max(1).optional(),
  match: z.string().optional(),
  status: z.int().min(500).max(599).optional(),
  retryAfterMs: z.number().min(0).max(3_600_000).optional(),
}) satisfies z.ZodType<FaultRule>;

/** The body of `POST /_emulator/faults`. */
export const faultsBodySchema = z.strictObject({ faults: z.array(faultRuleSchema) });

const optionsSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.int().min(0).max(65535).optional(),
  seed: z.int().optional(),
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  rpm: z.number().positive().optional(),
  tpm: z.number().positive().optional(),
  resetTokensMs: z.number().min(0).optional(),
  apiKey: z.string().min(1).optional(),
  structuredOutputs: z.boolean().optional(),
  quotePrompt: z.boolean().optional(),
  logprobs: z.boolean().optional(),
  faults: z.array(faultRuleSchema).optional(),
  logLimit: z.int().min(0).optional(),
  batchDelayMs: z.number().min(0).optional(),
  reasoning: reasoningBehaviourSchema.optional(),
  profile: z.string().optional(),
  errorDialect: z.enum(errorDialects).optional(),
  rateHeaders: z.enum(rateHeaderDialects).optional(),
  ignoreResponseFormat: z.boolean().optional(),
}) satisfies z.ZodType<EmulatorOptions>;

/** Validated copies of fault rules; throws a TypeError naming the bad field. */
export function checkFaultRules(rules: readonly FaultRule[]): FaultRule[] {
  const parsed = z.array(faultRuleSchema).safeParse(rules);
  if (!parsed.success) throw new TypeError(`setFaults: ${describeIssue(parsed.error, 'rules')}`);
  return parsed.data;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  latencyMs: number;
  jitterMs: number;
  rpm: number | undefined;
  tpm: number | undefined;
  resetTokensMs: number | undefined;
  apiKey: string | undefined;
  structuredOutputs: boolean;
  quotePrompt: boolean;
  logprobs: boolean;
  faults: FaultRule[];
  logLimit: number;
  batchDelayMs: number;
  reasoning: ReasoningBehaviour | undefined;
  errorDialect: ErrorDialect;
  rateHeaders: RateHeaderDialect;
  ignoreResponseFormat: boolean;
}

/** Checks the options and fills in defaults; throws a TypeError naming the bad option. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`startEmulator: ${describeIssue(parsed.error, 'options')}`);
  // A profile's options are defaults; what is given beside it wins (undefined means not given).
  const explicit = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
  const given = { ...(parsed.data.profile === undefined ? {} : profileOptions(parsed.data.profile)), ...explicit } as typeof parsed.data;
  return {
    host: given.host ?? '127.0.0.1',
    port: given.port ?? 0,
    seed: given.seed ?? 0,
    latencyMs: given.latencyMs ?? 0,
    jitterMs: given.jitterMs ?? 0,
    rpm: given.rpm,
    tpm: given.tpm,
    resetTokensMs: given.resetTokensMs,
    apiKey: given.apiKey,
    structuredOutputs: given.structuredOutputs ?? true,
    quotePrompt: given.quotePrompt ?? false,
    logprobs: given.logprobs ?? true,
    faults: given.faults ?? [],
    logLimit: given.logLimit ?? 10_000,
    batchDelayMs: given.batchDelayMs ?? 1_000,
    reasoning: given.reasoning,
    errorDialect: given.errorDialect ?? 'openai',
    rateHeaders: given.rateHeaders ?? 'openai',
    ignoreResponseFormat: given.ignoreResponseFormat ?? false,
  };
}

function describeIssue(error: z.ZodError, whole: string): string {
  const issue = error.issues[0];
  return `invalid ${issue?.path.join('.') || whole}: ${issue?.message ?? 'invalid'}`;
}
