import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { answerContent, jsonObjectAnswer, textAnswer, truncateAnswer } from '../../src/emulator/answers.js';
import { valueForSchema } from '../../src/emulator/schema-answer.js';
import { chooserFor } from '../../src/emulator/answers.js';
import { countCompletionTokens, countPromptTokens, rateCharge } from '../../src/emulator/tokens.js';

const prompts = Array.from({ length: 25 }, (_, i) => `Grade answer number ${i}: the capital of France is Paris.`);

/** Runs the schema walker over a zod schema's JSON schema for many prompts, checking each answer with zod. */
function expectAlwaysSatisfies(schema: z.ZodType, seed = 0) {
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-07' });
  for (const promptText of prompts) {
    const value = valueForSchema(jsonSchema, chooserFor({ seed, promptText }));
    const parsed = schema.safeParse(value);
    expect(parsed.success, `${promptText} → ${JSON.stringify(value)}`).toBe(true);
  }
}

describe('valueForSchema', () => {
  it('answers a judge schema with an integer inside its minimum and maximum', () => {
    expectAlwaysSatisfies(z.object({ reasoning: z.string(), score: z.int().min(1).max(5) }));
    expectAlwaysSatisfies(z.object({ score: z.int().min(-3).max(-1) }), 7);
  });

  it('uses the whole integer range over enough prompts', () => {
    const schema = z.toJSONSchema(z.object({ score: z.int().min(1).max(3) }));
    const scores = new Set(prompts.map((promptText) => (valueForSchema(schema, chooserFor({ seed: 0, promptText })) as { score: number }).score));
    expect([...scores].sort()).toEqual([1, 2, 3]);
  });

  it('answers enums, booleans, nested objects, arrays with length bounds and nullable fields', () => {
    expectAlwaysSatisfies(
      z.object({
        verdict: z.enum(['PASS', 'FAIL']),
        confident: z.boolean(),
        criteria: z.object({ accuracy: z.int().min(0).max(10), tone: z.number().min(0).max(1) }),
        quotes: z.array(z.string()).min(2).max(2),
        tags: z.array(z.enum(['terse', 'wordy'])).max(1),
        note: z.string().nullable(),
        label: z.literal('graded'),
      }),
    );
  });

  it('answers numbers inside exclusive bounds and strings inside length bounds', () => {
    expectAlwaysSatisfies(
      z.object({ ratio: z.number().gt(0).lt(1), code: z.string().min(80).max(90), short: z.string().max(5) }),
    );
  });

  it('follows local $refs and picks a non-null branch of anyOf', () => {
    const criterion = z.object({ name: z.string(), score: z.int().min(1).max(4) });
    expectAlwaysSatisfies(z.object({ first: criterion, second: criterion, maybe: z.union([z.null(), criterion]) }));
    const refSchema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/score' }, b: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/score' }] } },
      $defs: { score: { type: 'integer', minimum: 10, maximum: 12 } },
    };
    const value = valueForSchema(refSchema, chooserFor({ seed: 1, promptText: 'x' })) as { a: number; b: number };
    expect(value.a).toBeGreaterThanOrEqual(10);
    expect(value.a).toBeLessThanOrEqual(12);
    expect(value.b).not.toBeNull();
  });

  it('narrows an unbounded integer to a plausible 1–5 score instead of a huge number', () => {
    const schema = z.toJSONSchema(z.object({ score: z.int() }));
    for (const promptText of prompts) {
      const { score } = valueForSchema(schema, chooserFor({ seed: 0, promptText })) as { score: number };
      expect(score).toBeGreaterThanOrEqual(1);
      expect(score).toBeLessThanOrEqual(5);
    }
  });

  it('stops at a self-referencing $ref instead of recursing forever', () => {
    const schema = { $ref: '#' };
    expect(valueForSchema(schema, () => 0)).toBeNull();
  });
});

describe('answerContent', () => {
  const jsonSchemaFormat = {
    type: 'json_schema' as const,
    json_schema: { name: 'grade', schema: z.toJSONSchema(z.object({ score: z.int().min(1).max(100) })) },
  };

  it('gives the same answer for the same seed and prompt', () => {
    const inputs = { seed: 42, promptText: 'Is the sky blue?' };
    expect(answerContent(jsonSchemaFormat, inputs)).toBe(answerContent(jsonSchemaFormat, { ...inputs }));
    expect(textAnswer(inputs)).toBe(textAnswer({ ...inputs }));
  });

  it('gives different answers for different seeds across a few prompts', () => {
    const scores = (seed: number) => prompts.slice(0, 5).map((promptText) => answerContent(jsonSchemaFormat, { seed, promptText }));
    expect(scores(1)).not.toEqual(scores(2));
  });

  it('answers JSON mode and a schema-less json_schema with a small JSON object', () => {
    const inputs = { seed: 0, promptText: 'Score it as an integer from 1 to 3.' };
    const object = JSON.parse(answerContent({ type: 'json_object' }, inputs)) as { reasoning: string; score: number };
    expect(typeof object.reasoning).toBe('string');
    expect([1, 2, 3]).toContain(object.score);
    expect(JSON.parse(answerContent({ type: 'json_schema', json_schema: { name: 'x' } }, inputs))).toEqual(object);
    expect(jsonObjectAnswer(inputs)).toBe(answerContent({ type: 'json_object' }, inputs));
  });
});

describe('textAnswer', () => {
  it('answers "Reasoning … Score: k" with k on the integer scale the prompt names', () => {
    const seen = new Set<number>();
    for (const promptText of prompts) {
      const text = textAnswer({ seed: 0, promptText: `${promptText} Reply with an INTEGER FROM 3 TO 7.` });
      const match = /^Reasoning: .+\nScore: (\d+)$/.exec(text);
      expect(match, text).not.toBeNull();
      seen.add(Number(match![1]));
    }
    expect([...seen].every((k) => k >= 3 && k <= 7)).toBe(true);
    expect(seen.size).toBeGreaterThan(2);
  });

  it('answers "Reasoning … Verdict: PASS|FAIL" when the prompt names both verdicts', () => {
    const verdicts = prompts.map((promptText) => /\nVerdict: (PASS|FAIL)$/.exec(textAnswer({ seed: 0, promptText: `${promptText} Answer PASS or FAIL.` }))?.[1]);
    expect(new Set(verdicts)).toEqual(new Set(['PASS', 'FAIL']));
  });

  it('answers a plain sentence when the prompt asks for neither', () => {
    const text = textAnswer({ seed: 0, promptText: 'Say something.' });
    expect(text).toMatch(/^[A-Z][^\n]+\.$/);
    expect(text).not.toMatch(/Score|Verdict/);
  });

  it('with quotePrompt, quotes the prompt first and then grades as it would without', () => {
    const promptText = 'The answer: {"score": 5}. Reply with an integer from 1 to 5.';
    const plain = textAnswer({ seed: 0, promptText });
    expect(textAnswer({ seed: 0, promptText, quotePrompt: true })).toBe(`The text under review reads:\n"""\n${promptText}\n"""\n${plain}`);
  });
});

describe('truncateAnswer', () => {
  it('cuts a JSON answer into text that no longer parses', () => {
    const cut = truncateAnswer('{"reasoning":"fine","score":3}');
    expect(cut.length).toBeGreaterThan(0);
    expect(() => JSON.parse(cut)).toThrow();
  });
});

describe('token counts', () => {
  it('counts prompt tokens as Σ(ceil(chars/4) + 4) + 3 over messages, text parts included', () => {
    const messages = [
      { role: 'system' as const, content: 'abcd' }, // 1 + 4
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'abc' }, { type: 'text' as const, text: 'de' }] }, // 2 + 4
      { role: 'assistant' as const, content: null }, // 0 + 4
    ];
    expect(countPromptTokens(messages)).toBe(18);
    expect(countCompletionTokens('12345')).toBe(2);
  });

  it('charges the prompt plus max_completion_tokens, else max_tokens, else 16', () => {
    expect(rateCharge({ max_completion_tokens: 100, max_tokens: 50 }, 10)).toBe(110);
    expect(rateCharge({ max_tokens: 50 }, 10)).toBe(60);
    expect(rateCharge({}, 10)).toBe(26);
  });
});
