import type { JudgeSpec, RunOptions } from '../config.js';
import { planParams, type PlannedParams } from '../dialect/params.js';
import { UsageError } from '../errors.js';
import { refuseLogprobsModel } from '../judge/logprob-models.js';
import { modelPrice, type ModelPrice } from '../pricing/prices.js';
import type { JudgePrompt } from '../prompt/load.js';
import { judgeNames, panelModel } from '../results/judge-names.js';
import type { PanelAggregate } from '../results/record.js';

/** One judge of a run, ready to be asked: its name in votes, its model and server, what it is sent, its price. */
export interface PlannedJudge {
  name: string;
  model: string;
  /** Absent: OpenAI itself. */
  baseUrl?: string;
  /** The environment variable holding its key; absent: the run's key. */
  keyVariable?: string;
  params: PlannedParams;
  price?: ModelPrice;
}

/** The judges of a run: one (the usual run), or a panel whose votes are folded by `aggregate`. */
export interface JudgePlan {
  judges: PlannedJudge[];
  /** The records' judge.model: the one judge's model, or the panel's names joined by ','. */
  model: string;
  /** Set only for a panel (two judges or more). */
  aggregate?: PanelAggregate;
}

/**
 * Who judges this run: `--judge` (repeatable) or else `-m` (else the prompt's model, else
 * gpt-4o-mini), each at its own base URL or the run's. Contradictory flags are refused here,
 * before anything is read or sent.
 */
export function planJudges(options: RunOptions, prompt: JudgePrompt): JudgePlan {
  if (options.judges.length > 0 && options.model !== undefined) {
    throw new UsageError('--judge and -m/--model both name the judge', 'give the judge with one of them: -m for one judge, --judge once per judge of a panel');
  }
  const specs: JudgeSpec[] = options.judges.length > 0 ? options.judges : [{ model: options.model ?? prompt.settings.model ?? 'gpt-4o-mini' }];
  const resolved = specs.map((spec) => ({ ...spec, baseUrl: spec.baseUrl ?? options.baseUrl }));
  refuseTwins(resolved);
  const names = judgeNames(resolved);
  const panel = resolved.length > 1;
  const judges = resolved.map((spec, i): PlannedJudge => {
    if (prompt.settings.scoring === 'logprobs') refuseLogprobsModel(spec.model, prompt.file);
    const params = planParams({
      model: spec.model,
      temperature: prompt.settings.temperature,
      reasoningEffort: options.reasoningEffort ?? prompt.settings.reasoning_effort,
      answerTokens: prompt.settings.max_tokens,
    });
    // --price names one model's price: a panel's judges are priced from the table, each by its model.
    const price = (panel ? undefined : options.price) ?? modelPrice(spec.model);
    return { name: names[i]!, model: spec.model, params, ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}), ...(spec.keyVariable ? { keyVariable: spec.keyVariable } : {}), ...(price ? { price } : {}) };
  });
  if (panel && options.price !== undefined) {
    throw new UsageError('--price prices one judge model, and this run has a panel of judges', "leave it out: each judge is priced by its own model from verdict's table");
  }
  for (const judge of judges) {
    if (options.maxCost !== undefined && judge.price === undefined) {
      throw new UsageError(
        `--max-cost needs a price for ${judge.model}${panel ? ` (judge ${judge.name})` : ''}, and verdict's table has none`,
        panel ? "a panel's judges are priced from verdict's table: leave out --max-cost, or use judges it prices" : 'give it with --price input/output, in USD per million tokens',
      );
    }
  }
  return { judges, model: panel ? panelModel(names) : judges[0]!.model, ...(panel ? { aggregate: aggregateOf(options.aggregate, prompt) } : refuseAggregate(options.aggregate)) };
}

/** Two judges of one model at one server would ask the same question twice and count it as two votes. */
function refuseTwins(judges: readonly { model: string; baseUrl?: string }[]): void {
  const seen = new Set<string>();
  for (const judge of judges) {
    const key = `${judge.model}\u0000${(judge.baseUrl ?? '').replace(/\/+$/, '')}`;
    if (seen.has(key)) {
      throw new UsageError(
        `--judge names ${judge.model}${judge.baseUrl ? ` at ${judge.baseUrl}` : ''} twice`,
        'each judge of a panel is a different model or server; to ask one judge several times, use --repeat',
      );
    }
    seen.add(key);
  }
}

/** mean and median fold scores; a prompt whose answer is a verdict, a label or a pass decides by majority. */
function aggregateOf(asked: PanelAggregate | undefined, prompt: JudgePrompt): PanelAggregate {
  const mode = prompt.settings.mode;
  if (asked === undefined) return mode === 'score' ? 'mean' : 'majority';
  if (asked !== 'majority' && mode !== 'score') {
    throw new UsageError(`--aggregate ${asked} folds the judges' scores, and a ${mode} prompt's judges answer with a ${ANSWER_OF[mode]}`, 'use --aggregate majority (the default for this prompt)');
  }
  return asked;
}

const ANSWER_OF = { score: 'score', 'pass-fail': 'pass or fail', pairwise: 'verdict', classify: 'label' } as const;

function refuseAggregate(asked: PanelAggregate | undefined): Record<never, never> {
  if (asked !== undefined) throw new UsageError('--aggregate folds the votes of a panel, and this run has one judge', 'name two judges or more with --judge, or leave --aggregate out');
  return {};
}

/** Each judge's API key: its own variable's value, or the run's key. A variable that is unset stops the run here, before any request. */
export function judgeKeys(judges: readonly PlannedJudge[], runKey: string | undefined, keyIn: ((variable: string) => string | undefined) | undefined): string[] {
  return judges.map((judge) => {
    const key = judgeKey(judge, runKey, keyIn);
    if (key) return key;
    const hint = 'set it in the environment or in a .env file in this directory';
    if (judge.keyVariable === undefined) throw new UsageError(judges.length > 1 ? `OPENAI_API_KEY is not set, and judge ${judge.name} has no key= of its own` : 'OPENAI_API_KEY is not set', hint);
    throw new UsageError(`${judge.keyVariable} is not set: judge ${judge.name} reads its API key from it (key=${judge.keyVariable})`, hint);
  });
}

/** A judge's API key, from its own variable (key=) or else the run's; undefined when that is unset. */
export function judgeKey(judge: Pick<PlannedJudge, 'keyVariable'>, runKey: string | undefined, keyIn: ((variable: string) => string | undefined) | undefined): string | undefined {
  return (judge.keyVariable === undefined ? runKey : keyIn?.(judge.keyVariable)) || undefined;
}
