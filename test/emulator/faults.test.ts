import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../src/emulator/fault-spec.js';
import { createFaultPicker } from '../../src/emulator/faults.js';

describe('parseFaultSpec', () => {
  it.each([
    ['server_error', { kind: 'server_error' }],
    ['server_error:0.1', { kind: 'server_error', rate: 0.1 }],
    ['rate_limit:3', { kind: 'rate_limit', count: 3 }],
    ['malformed@row-7', { kind: 'malformed', match: 'row-7' }],
    ['hang:1@id: 4@x', { kind: 'hang', count: 1, match: 'id: 4@x' }],
  ])('reads %s', (spec, rule) => {
    expect(parseFaultSpec(spec)).toEqual(rule);
  });

  it.each([
    ['explode', /--fault explode: kind must be one of/],
    ['drop:0', /must be a count/],
    ['drop:1.5', /must be a count/],
    ['drop:abc', /must be a count/],
    ['drop:', /must be a count/],
    ['drop:1:2', /expected kind/],
    ['drop@', /nothing after '@'/],
  ])('rejects %s with a message naming --fault', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
    expect(() => parseFaultSpec(spec)).toThrow(/--fault/);
  });
});

describe('createFaultPicker', () => {
  it('faults only the first `count` matching requests', () => {
    const picker = createFaultPicker([{ kind: 'server_error', count: 2 }], 0);
    expect(['a', 'b', 'c', 'd'].map((text) => picker.pick(text)?.kind)).toEqual(['server_error', 'server_error', undefined, undefined]);
  });

  it('faults only requests whose text contains `match`, and counts only those', () => {
    const picker = createFaultPicker([{ kind: 'malformed', match: 'row-7', count: 1 }], 0);
    expect(picker.pick('row-6')).toBeUndefined();
    expect(picker.pick('grade row-7 please')?.kind).toBe('malformed');
    expect(picker.pick('row-7 again')).toBeUndefined();
  });

  it('gives the first rule that fires, and falls through to the next when a rule is used up', () => {
    const picker = createFaultPicker([{ kind: 'rate_limit', count: 1 }, { kind: 'overloaded', match: 'x' }], 0);
    expect(picker.pick('x')?.kind).toBe('rate_limit');
    expect(picker.pick('x')?.kind).toBe('overloaded');
    expect(picker.pick('y')).toBeUndefined();
  });

  it('faults about `rate` of requests, the same ones for the same seed', () => {
    const draws = (seed: number) => {
      const picker = createFaultPicker([{ kind: 'empty', rate: 0.3 }], seed);
      return Array.from({ length: 1000 }, () => picker.pick('p') !== undefined);
    };
    const faulted = draws(5).filter(Boolean).length;
    expect(faulted).toBeGreaterThan(240);
    expect(faulted).toBeLessThan(360);
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5)).not.toEqual(draws(6));
  });
});
