/** Issue 17 item 1: naming a panel's judges with --judge, and the flags a panel refuses (exit 2, before anything is read or sent). */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { RunOptions } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { judgeNames, modelOfJudgeName } from '../../src/results/judge-names.js';
import { judgeKeys, planJudges } from '../../src/run/panel-plan.js';

const options = (flags: Partial<z.input<typeof RunOptions>>) => RunOptions.parse({ dataset: 'd.jsonl', prompt: 'correctness', ...flags });
const plan = async (flags: Partial<z.input<typeof RunOptions>>, prompt = 'correctness') => planJudges(options(flags), await loadPrompt(prompt));

describe('--judge <model>[@<base-url>][,key=<ENV_VAR>]', () => {
  it.each([
    ['gpt-4o-mini', { model: 'gpt-4o-mini' }],
    ['gpt-4o-mini,key=MY_KEY', { model: 'gpt-4o-mini', keyVariable: 'MY_KEY' }],
    ['llama3@http://127.0.0.1:11434/v1', { model: 'llama3', baseUrl: 'http://127.0.0.1:11434/v1' }],
    // A model name may hold '@': only the '@' that starts http:// or https:// begins the URL.
    ['claude-3-5-sonnet@20240620@https://example.test/v1,key=ANTHROPIC_KEY', { model: 'claude-3-5-sonnet@20240620', baseUrl: 'https://example.test/v1', keyVariable: 'ANTHROPIC_KEY' }],
    ['claude-3-5-sonnet@20240620', { model: 'claude-3-5-sonnet@20240620' }],
  ])('reads %s', (text, judge) => {
    expect(options({ judges: [text] }).judges).toEqual([judge]);
  });

  it.each([
    ['@http://127.0.0.1:1/v1', /--judge "@http:\/\/127.0.0.1:1\/v1": give the judge as <model>/],
    ['m@http://user:secret@127.0.0.1:1/v1', /credentials in the URL are not supported/],
    // A key pasted where its variable's name goes is never said back.
    ['m,key=sk-live-123', /--judge "m,key=…": key= takes the name of an environment variable/],
    // A key of letters, digits and _ alone (gsk_…) is no capitals-only variable name either.
    ['m,key=gsk_live123abc', /--judge "m,key=…": key= takes the name of an environment variable/],
  ])('refuses %s', (text, message) => {
    const parsed = RunOptions.safeParse({ dataset: 'd', prompt: 'p', judges: [text] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(message);
    expect(parsed.error!.issues[0]!.message).not.toContain('secret');
    expect(parsed.error!.issues[0]!.message).not.toContain('sk-live-123');
    expect(parsed.error!.issues[0]!.message).not.toContain('gsk_live123abc');
  });

  it('refuses an --aggregate it does not know', () => {
    expect(RunOptions.safeParse({ dataset: 'd', prompt: 'p', aggregate: 'mode' }).error!.issues[0]!.message).toBe('--aggregate takes majority, mean or median');
  });
});

describe('a panel', () => {
  it('names each judge by its model, and by model@url where two judges share a model', async () => {
    const planned = await plan({ judges: ['m1@http://127.0.0.1:1/v1', 'm1@http://127.0.0.1:2/v1', 'm2'], baseUrl: 'http://127.0.0.1:3/v1' });
    expect(planned.judges.map((judge) => [judge.name, judge.baseUrl])).toEqual([
      ['m1@http://127.0.0.1:1/v1', 'http://127.0.0.1:1/v1'],
      ['m1@http://127.0.0.1:2/v1', 'http://127.0.0.1:2/v1'],
      // A judge without a URL of its own is asked at the run's.
      ['m2', 'http://127.0.0.1:3/v1'],
    ]);
    expect(planned.model).toBe('m1@http://127.0.0.1:1/v1,m1@http://127.0.0.1:2/v1,m2');
    expect(planned.judges.map((judge) => modelOfJudgeName(judge.name))).toEqual(['m1', 'm1', 'm2']);
    expect(judgeNames([{ model: 'a@b' }, { model: 'c' }])).toEqual(['a@b', 'c']);
  });

  it('takes the mean for a score prompt and the majority for any other, unless --aggregate says', async () => {
    expect((await plan({ judges: ['a', 'b'] })).aggregate).toBe('mean');
    expect((await plan({ judges: ['a', 'b'] }, 'pairwise')).aggregate).toBe('majority');
    expect((await plan({ judges: ['a', 'b'] }, 'pass-fail')).aggregate).toBe('majority');
    expect((await plan({ judges: ['a', 'b'], aggregate: 'median' })).aggregate).toBe('median');
  });

  it('is one judge, like -m with --base-url, when --judge is given once', async () => {
    const planned = await plan({ judges: ['m@http://127.0.0.1:1/v1,key=K'] });
    expect(planned).toMatchObject({ model: 'm', judges: [{ name: 'm', model: 'm', baseUrl: 'http://127.0.0.1:1/v1', keyVariable: 'K' }] });
    expect(planned.aggregate).toBeUndefined();
  });

  it.each([
    [{ judges: ['a', 'b'], model: 'c' }, 'correctness', /--judge and -m\/--model both name the judge/],
    [{ judges: ['a@http://127.0.0.1:1/v1', 'a@http://127.0.0.1:1/v1/'] }, 'correctness', /--judge names a at http:\/\/127.0.0.1:1\/v1\/? twice/],
    [{ judges: ['a', 'a'] }, 'correctness', /--judge names a twice/],
    [{ judges: ['a', 'b'], aggregate: 'mean' }, 'pairwise', /--aggregate mean folds the judges' scores, and a pairwise prompt's judges answer with a verdict/],
    [{ judges: ['a', 'b'], aggregate: 'median' }, 'pass-fail', /--aggregate median .* a pass-fail prompt's judges answer with a pass or fail/],
    [{ aggregate: 'majority' }, 'correctness', /--aggregate folds the votes of a panel, and this run has one judge/],
    [{ judges: ['a', 'b'], price: '1/2' }, 'correctness', /--price prices one judge model/],
    [{ judges: ['gpt-4o-mini', 'my-local-model'], maxCost: 1 }, 'correctness', /--max-cost needs a price for my-local-model \(judge my-local-model\)/],
  ] as const)('refuses %j with a %s prompt', async (flags, prompt, message) => {
    await expect(plan(flags as Partial<z.input<typeof RunOptions>>, prompt)).rejects.toThrow(UsageError);
    await expect(plan(flags as Partial<z.input<typeof RunOptions>>, prompt)).rejects.toThrow(message);
  });
});

describe("a judge's key", () => {
  it("is its own variable's value, or the run's key without key=", async () => {
    const { judges } = await plan({ judges: ['a,key=KEY_A', 'b'] });
    expect(judgeKeys(judges, 'run-key', (name) => ({ KEY_A: 'key-of-a' })[name])).toEqual(['key-of-a', 'run-key']);
  });

  it('is refused when its variable is unset, naming the variable and the judge', async () => {
    const { judges } = await plan({ judges: ['a,key=KEY_A', 'b'] });
    expect(() => judgeKeys(judges, 'run-key', () => undefined)).toThrow(/^KEY_A is not set: judge a reads its API key from it \(key=KEY_A\)$/);
    expect(() => judgeKeys(judges, undefined, () => 'x')).toThrow(/OPENAI_API_KEY is not set, and judge b has no key= of its own/);
  });
});
