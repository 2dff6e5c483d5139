/** The bundled OpenAI-compatible emulator: deterministic answers, rate limits and injectable faults. */
export { startEmulator, emulatedModel } from './server.js';
export { faultKinds } from './types.js';
export type { BatchStats } from './batch-store.js';
export type { Emulator, EmulatorLogEntry, EmulatorOptions, EmulatorStats, FaultKind, FaultRule } from './types.js';
export { faultRuleSchema } from './options.js';
export { parseFaultSpec } from './fault-spec.js';
export { createRateBudget, formatGoDuration, type RateBudget, type BudgetDecision } from './budget.js';
export { emulatorCommand } from './command.js';
export { PROFILES, profileNames, type ProfileName } from './profiles.js';
export { errorDialects, rateHeaderDialects, type ErrorDialect, type RateHeaderDialect } from './types.js';
