import {
  MAX_COMPLETION_CAP,
  reasoningHeadroom,
  STARVED_FLOOR_TOKENS,
  takesTemperature,
  type ReasoningEffort,
} from './model-families.js';

/** What the prompt and the command line ask of the judge. */
export interface JudgeAsk {
  model: string;
  /** The prompt's temperature; undefined when it sets none. */
  temperature: number | undefined;
  reasoningEffort: ReasoningEffort | undefined;
  /** The prompt's max_tokens: the budget for the answer alone. */
  answerTokens: number;
}

/** The parameters verdict means to send before the server has said anything: part of the judge's identity. */
export interface PlannedParams {
  /** null: not sent, the model's default applies. */
  temperature: number | null;
  reasoningEffort: ReasoningEffort | null;
  answerTokens: number;
  /** Room for reasoning on top of the answer's budget. */
  reasoningTokens: number;
  /** A value the prompt set that the model is known to refuse, said once before the run. */
  notes: Adaptation[];
}

/** One change verdict made to what it sends: `message` for the live log, `summary` for the summary and manifest. */
export interface Adaptation {
  message: string;
  summary: string;
}

/** The temperature a prompt that sets none is graded at: the most repeatable answers. */
const DEFAULT_TEMPERATURE = 0;

/** What verdict sends a judge before it has learned anything from the server. */
export function planParams(ask: JudgeAsk): PlannedParams {
  const wanted = ask.temperature ?? DEFAULT_TEMPERATURE;
  const notes: Adaptation[] = [];
  let temperature: number | null = wanted;
  if (!takesTemperature(ask.model, wanted, ask.reasoningEffort)) {
    temperature = null;
    if (ask.temperature !== undefined) {
      notes.push({
        message: `${ask.model} is a reasoning model and takes only its default temperature (1): the prompt's temperature ${wanted} is not sent`,
        summary: `temperature: not sent (${ask.model} takes only the default, 1)`,
      });
    }
  }
  return {
    temperature,
    reasoningEffort: ask.reasoningEffort ?? null,
    answerTokens: ask.answerTokens,
    reasoningTokens: reasoningHeadroom(ask.model, ask.reasoningEffort),
    notes,
  };
}

/** The most completion tokens one first ask may use: the answer's budget plus the room for reasoning. */
export function worstCaseCompletionTokens(plan: Pick<PlannedParams, 'answerTokens' | 'reasoningTokens'>): number {
  return Math.min(MAX_COMPLETION_CAP, plan.answerTokens + plan.reasoningTokens);
}

/** What a run's first request sends besides its messages, before the server has taught it anything. */
export function firstRequestParams(plan: PlannedParams): SamplingParams {
  return new RequestDialect(plan).params(worstCaseCompletionTokens(plan));
}

/** The sampling and budget parameters of one request. */
export interface SamplingParams {
  temperature?: number;
  reasoning_effort?: ReasoningEffort;
  max_completion_tokens?: number;
  max_tokens?: number;
}

/** Rows whose reasoning ran out of tokens before the run's room for reasoning is raised. */
const STARVED_ROWS_BEFORE_RAISE = 3;

/**
 * What a run sends its judge, adapted to what the server turns out to take: a parameter it
 * refuses is dropped (or the token limit renamed) once for the whole run, a server that ignores
 * max_completion_tokens is sent max_tokens, and reasoning that keeps running out of room gets more.
 * Every change is reported once through `onAdapt` and kept in `adaptations`.
 */
export class RequestDialect {
  private temperature: number | null;
  private effort: ReasoningEffort | null;
  private tokenLimit: 'max_completion_tokens' | 'max_tokens' = 'max_completion_tokens';
  private readonly answerTokens: number;
  private reasoningTokens: number;
  private starvedAsks = 0;
  /** Every change made so far, for the summary and the manifest. */
  readonly adaptations: string[] = [];

  constructor(plan: PlannedParams, private readonly onAdapt: (adaptation: Adaptation) => void = () => {}) {
    this.temperature = plan.temperature;
    this.effort = plan.reasoningEffort;
    this.answerTokens = plan.answerTokens;
    this.reasoningTokens = plan.reasoningTokens;
    for (const note of plan.notes) this.adaptations.push(note.summary);
  }

  /** The completion limit of a first ask. */
  completionLimit(): number {
    return worstCaseCompletionTokens({ answerTokens: this.answerTokens, reasoningTokens: this.reasoningTokens });
  }

  /** A starved answer's re-ask limit: twice the last, at least the answer plus a reasoning floor; undefined at the cap. */
  starvedLimit(previous: number): number | undefined {
    const next = Math.min(MAX_COMPLETION_CAP, Math.max(previous * 2, this.answerTokens + STARVED_FLOOR_TOKENS));
    return next > previous ? next : undefined;
  }

  /** The parameters of a request allowed `limit` completion tokens. */
  params(limit: number): SamplingParams {
    const params: SamplingParams = {};
    if (this.temperature !== null) params.temperature = this.temperature;
    if (this.effort !== null) params.reasoning_effort = this.effort;
    params[this.tokenLimit] = limit;
    return params;
  }

  /**
   * The server refused `names` in a request sent with `sent`. Adapts for the rest of the run and
   * returns true when the request should be sent again; false when a refusal cannot be adapted to
   * (the error then stands). A parameter already adapted by another row's refusal just re-sends.
   */
  adaptToRefusal(names: readonly string[], sent: SamplingParams, detail: string): boolean {
    if (names.length === 0) return false;
    for (const name of names) {
      if (!(name in sent)) return false;
      if (!(name in this.params(1))) continue;
      if (!this.adapt(name, sent, detail)) return false;
    }
    return true;
  }

  private adapt(name: string, sent: SamplingParams, detail: string): boolean {
    // A parameter reaches here only while it is still sent, so each is adapted at most once.
    if (name === 'temperature') {
      this.temperature = null;
      this.record({
        message: `the server refused temperature ${sent.temperature} (${detail}): not sending temperature from now on; re-sending the requests it refused`,
        summary: `temperature: not sent (the server refused ${sent.temperature})`,
      });
      return true;
    }
    if (name === 'reasoning_effort') {
      this.effort = null;
      this.record({
        message: `the server refused reasoning_effort ${sent.reasoning_effort} (${detail}): not sending it from now on, the model's default applies; re-sending the requests it refused`,
        summary: `reasoning_effort: not sent (the server refused ${sent.reasoning_effort})`,
      });
      return true;
    }
    // The limit is renamed once, max_completion_tokens to max_tokens; a refused max_tokens after that stands.
    if (name === 'max_completion_tokens' && this.tokenLimit === 'max_completion_tokens') {
      this.switchTokenLimit(detail, 'refused');
      return true;
    }
    return false;
  }

  /** An answer came back using `completionTokens`: a server that ignored max_completion_tokens is sent max_tokens from now on. */
  noteUsage(sent: SamplingParams, completionTokens: number): void {
    const limit = sent.max_completion_tokens;
    if (limit === undefined || this.tokenLimit !== 'max_completion_tokens') return;
    // "Far more" than allowed: a server that honours the limit stops at it, give or take its own framing.
    if (completionTokens <= limit + Math.max(16, limit / 2)) return;
    this.switchTokenLimit(`an answer used ${completionTokens} completion tokens of ${limit} allowed`, 'ignored');
  }

  private switchTokenLimit(reason: string, how: 'refused' | 'ignored'): void {
    const from = this.tokenLimit;
    const to = 'max_tokens';
    this.tokenLimit = to;
    this.record({
      message: `the server ${how} ${from} (${reason}): sending ${to} instead from now on${how === 'refused' ? '; re-sending the requests it refused' : ''}`,
      summary: `${from}: sent as ${to} (the server ${how} it)`,
    });
  }

  /**
   * An answer's reasoning used its whole budget. After a few, the run's room for reasoning is
   * doubled once (within the cap), so later rows stop paying for a starved first ask.
   */
  noteStarved(): void {
    this.starvedAsks++;
    if (this.starvedAsks !== STARVED_ROWS_BEFORE_RAISE) return;
    const raised = Math.min(MAX_COMPLETION_CAP - this.answerTokens, Math.max(this.reasoningTokens * 2, STARVED_FLOOR_TOKENS));
    if (raised <= this.reasoningTokens) return;
    this.reasoningTokens = raised;
    const limit = this.completionLimit();
    this.record({
      message: `${STARVED_ROWS_BEFORE_RAISE} answers ran out of tokens while reasoning: asking for up to ${limit} completion tokens (max_tokens ${this.answerTokens} for the answer, ${raised} for reasoning) from now on`,
      summary: `${this.tokenLimit}: raised to ${limit} (reasoning used the whole budget of ${STARVED_ROWS_BEFORE_RAISE} answers)`,
    });
  }

  private record(adaptation: Adaptation): void {
    this.adaptations.push(adaptation.summary);
    this.onAdapt(adaptation);
  }
}
