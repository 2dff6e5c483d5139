import { describe, expect, it } from 'vitest';
import { planParams, RequestDialect, type Adaptation } from '../../src/dialect/params.js';

const plan = (model: string, temperature?: number, reasoningEffort?: 'low' | 'none') => planParams({ model, temperature, reasoningEffort, answerTokens: 400 });

function dialectFor(model: string, temperature?: number) {
  const said: Adaptation[] = [];
  const dialect = new RequestDialect(plan(model, temperature), (a) => said.push(a));
  return { dialect, said };
}

describe('planParams', () => {
  it('sends a reasoning model no temperature, room for reasoning, and says so only when the prompt set one', () => {
    expect(plan('gpt-5')).toMatchObject({ temperature: null, reasoningTokens: 8_192, notes: [] });
    expect(plan('gpt-5', 0).notes).toHaveLength(1);
    expect(plan('gpt-5', 1)).toMatchObject({ temperature: 1, notes: [] });
    expect(plan('gpt-4o-mini')).toMatchObject({ temperature: 0, reasoningTokens: 0 });
    expect(plan('gpt-5.1', 0, 'none')).toMatchObject({ temperature: 0, reasoningTokens: 0, reasoningEffort: 'none' });
  });
});

describe('RequestDialect', () => {
  it('drops a refused temperature once, and lets requests already in flight re-send without saying it again', () => {
    const { dialect, said } = dialectFor('acme');
    const inFlight = [dialect.params(400), dialect.params(400)];
    expect(inFlight[0]).toEqual({ temperature: 0, max_completion_tokens: 400 });
    expect(dialect.adaptToRefusal(['temperature'], inFlight[0]!, '400 unsupported_value')).toBe(true);
    expect(dialect.adaptToRefusal(['temperature'], inFlight[1]!, '400 unsupported_value')).toBe(true);
    expect(said).toHaveLength(1);
    expect(dialect.params(400)).toEqual({ max_completion_tokens: 400 });
    expect(dialect.adaptations).toEqual(['temperature: not sent (the server refused 0)']);
  });

  it('switches the token limit once, and never back and forth', () => {
    const { dialect, said } = dialectFor('mistral-small');
    const first = dialect.params(400);
    expect(dialect.adaptToRefusal(['max_completion_tokens'], first, '422')).toBe(true);
    const second = dialect.params(400);
    expect(second).toEqual({ temperature: 0, max_tokens: 400 });
    // A server that refuses both names cannot be adapted to: the error stands.
    expect(dialect.adaptToRefusal(['max_tokens'], second, '400')).toBe(false);
    expect(said).toHaveLength(1);
  });

  it('leaves an error it cannot adapt to alone', () => {
    const { dialect } = dialectFor('acme');
    const sent = dialect.params(400);
    expect(dialect.adaptToRefusal([], sent, '400')).toBe(false);
    expect(dialect.adaptToRefusal(['response_format'], sent, '400')).toBe(false);
    expect(dialect.adaptToRefusal(['top_p'], sent, '400')).toBe(false);
  });

  it('notices a server that ignores max_completion_tokens once, and only when usage is far over it', () => {
    const { dialect, said } = dialectFor('llama3');
    dialect.noteUsage({ max_completion_tokens: 400 }, 410);
    expect(said).toEqual([]);
    dialect.noteUsage({ max_completion_tokens: 400 }, 1_500);
    dialect.noteUsage({ max_completion_tokens: 400 }, 1_500);
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(/ignored max_completion_tokens \(an answer used 1500 completion tokens of 400 allowed\)/);
    expect(dialect.params(400)).toEqual({ temperature: 0, max_tokens: 400 });
  });

  it('re-asks a starved answer with a doubled budget, within the cap, and raises the run budget after three', () => {
    const { dialect, said } = dialectFor('gpt-5');
    expect(dialect.completionLimit()).toBe(8_592);
    expect(dialect.starvedLimit(8_592)).toBe(17_184);
    expect(dialect.starvedLimit(400)).toBe(8_592);
    expect(dialect.starvedLimit(65_536)).toBeUndefined();
    dialect.noteStarved();
    dialect.noteStarved();
    expect(said).toEqual([]);
    dialect.noteStarved();
    dialect.noteStarved();
    expect(said).toHaveLength(1);
    expect(dialect.completionLimit()).toBe(400 + 16_384);
  });
});
