import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { hubTransformer } from './transformer.ts';

/** What a client receives: the serialized form as JSON text, or the refusal. */
const outcome = (serialize: (value: unknown) => unknown, value: unknown): string => {
  try {
    return JSON.stringify(serialize(value));
  } catch (error) {
    return `refused: ${error instanceof Error ? error.message : String(error)}`;
  }
};
const sent = (value: unknown) => outcome((v) => hubTransformer.serialize(v), value);
const sentBySuperjson = (value: unknown) => outcome((v) => superjson.serialize(v), value);

describe('hubTransformer', () => {
  it('sends what superjson sends (or refuses what it refuses), for any value', () => {
    const anything = fc.anything({
      withDate: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(anything, (value) => {
        expect(sent(value)).toBe(sentBySuperjson(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sends plain JSON as the value itself, with no meta', () => {
    const row = { id: 'u1', name: 'Ada', tags: ['a', 'b'], score: 1.5, active: true, gone: null };
    expect(hubTransformer.serialize(row)).toEqual({ json: row });
    expect(hubTransformer.serialize(row).json).toBe(row);
  });

  it('leaves to superjson every value JSON would not carry exactly', () => {
    const date = new Date('2026-01-02T03:04:05.000Z');
    const cases: unknown[] = [
      { at: date },
      { missing: undefined },
      [Number.NaN],
      { n: Number.POSITIVE_INFINITY },
      { zero: -0 },
      { big: 10n },
      new Map([['k', 1]]),
      undefined,
    ];
    for (const value of cases) {
      const result = hubTransformer.serialize(value);
      expect(result.meta, JSON.stringify(superjson.serialize(value))).toBeDefined();
      expect(superjson.deserialize(result)).toEqual(value);
    }
  });

  it('leaves out what JSON would send differently: toJSON, extra array keys', () => {
    const match = 'abc'.match(/b/);
    const withKey = Object.assign([1], { at: new Date(0) });
    const stamped = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'other' });
    class Tagged extends Array<number> {
      toJSON() {
        return 'tagged';
      }
    }
    for (const value of [match, withKey, stamped, Tagged.from([1, 2])]) {
      expect(sent(value)).toBe(sentBySuperjson(value));
    }
  });

  it('keeps shared and circular objects as superjson does', () => {
    const shared = { id: 1 };
    const twice = { a: shared, b: shared };
    expect(sent(twice)).toBe(sentBySuperjson(twice));
    const restored = superjson.deserialize<typeof twice>(hubTransformer.serialize(twice));
    expect(restored.a).toBe(restored.b);

    const siblings = [{ x: shared }, { y: shared }];
    expect(sent(siblings)).toBe(sentBySuperjson(siblings));

    const cycle: Record<string, unknown> = { id: 1 };
    cycle.self = cycle;
    expect(sent(cycle)).toBe(sentBySuperjson(cycle));
  });

  it('still refuses the keys superjson refuses', () => {
    const polluted = JSON.parse('{"__proto__": {"admin": true}}');
    expect(() => hubTransformer.serialize(polluted)).toThrow(/prototype pollution/);
    expect(() => hubTransformer.serialize({ constructor: 1 })).toThrow(/prototype pollution/);
    expect(() => hubTransformer.serialize(Object.assign([1], { prototype: 2 }))).toThrow(
      /prototype pollution/,
    );
  });

  it('sends -0 with the annotation superjson gives it', () => {
    expect(sent({ zero: -0 })).toBe(sentBySuperjson({ zero: -0 }));
  });

  it('reads what superjson writes', () => {
    const value = { at: new Date(0), list: [1, 2], map: new Map([['a', 1]]) };
    expect(hubTransformer.deserialize(superjson.serialize(value))).toEqual(value);
  });
});
