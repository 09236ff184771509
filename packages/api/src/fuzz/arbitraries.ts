import fc from 'fast-check';

/**
 * fast-check arbitraries for any procedure input, derived from its zod schema: values
 * shaped like the schema, where any field may instead be something hostile. Walking
 * zod's own definitions (rather than a JSON schema) keeps dates, defaults and transforms.
 */

interface ZodLike {
  _zod: { def: Def };
}
interface Def {
  type: string;
  shape?: Record<string, ZodLike>;
  innerType?: ZodLike;
  in?: ZodLike;
  element?: ZodLike;
  valueType?: ZodLike;
  options?: readonly ZodLike[];
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  format?: string;
}

const DAY_STRINGS = [
  '0000-01-01',
  '-200000-01-01',
  '+275760-09-13',
  '1899-12-31',
  '9999-12-31',
  '2026-13-01',
  '2026-02-30',
];

export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'a\u0000b',
    '\u0000',
    'x\uD800',
    '\uDC00y',
    '\uDBFF\uDBFF',
    '+14:00',
    '-12:00',
    'US/Pacific-New',
    'posix/Europe/Paris',
    'localtime',
    "'; drop table users; --",
    '%00',
    '../../etc/passwd',
    '__proto__',
    'constructor',
    'a'.repeat(70_000),
    ...DAY_STRINGS,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

export const hostileNumber = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    -0,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    2 ** 31,
    2 ** 63,
    -(2 ** 63),
    1e308,
  ),
  fc.double(),
  fc.integer(),
);

export const hostileDate = fc.oneof(
  fc.constantFrom(
    new Date(-8.64e15),
    new Date(8.64e15),
    new Date(Number.NaN),
    new Date('0000-01-01T00:00:00Z'),
    new Date(Date.UTC(-200000, 0, 1)),
    new Date(Date.UTC(275760, 8, 13)),
    new Date(Date.UTC(1899, 11, 31)),
  ),
  fc.date({ noInvalidDate: false }),
);

const anyValue = fc.oneof(
  hostileString,
  hostileNumber,
  hostileDate,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Any field may be replaced by something hostile, about one time in five. */
const orHostile = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary, weight: 4 }, { arbitrary: anyValue, weight: 1 });

/** Ids worth trying beside random ones: the callers' own, so owner paths run too. */
export interface Known {
  uuids: readonly string[];
}

function shaped(schema: ZodLike, known: Known, depth: number): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  if (depth > 6) return anyValue;
  const inner = (s: ZodLike | undefined) => (s ? shaped(s, known, depth + 1) : anyValue);
  switch (def.type) {
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, field]) =>
        // A missing field, a present one, sometimes a hostile one.
        fc.option(orHostile(inner(field)), { nil: undefined }).map((v) => [key, v] as const),
      );
      const extra = fc.option(
        fc.tuple(fc.constantFrom('timezone', 'userId', 'role', '__proto__', 'x'), anyValue),
        { nil: undefined, freq: 6 },
      );
      return fc.tuple(fc.tuple(...fields), extra).map(([pairs, unknownKey]) => {
        const value: Record<string, unknown> = {};
        for (const [key, v] of pairs) if (v !== undefined) value[key] = v;
        if (unknownKey)
          Object.defineProperty(value, unknownKey[0], { value: unknownKey[1], enumerable: true });
        return value;
      });
    }
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return fc.option(inner(def.innerType), { nil: undefined });
    case 'pipe':
      return inner(def.in);
    case 'union':
      return def.options?.length ? fc.oneof(...def.options.map((o) => inner(o))) : anyValue;
    case 'array':
      return fc.array(inner(def.element), { maxLength: 4 });
    case 'record':
      return fc.dictionary(hostileString, inner(def.valueType), { maxKeys: 4 });
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'string':
      return fc.oneof(
        fc.uuid(),
        fc.constantFrom(...known.uuids, '2026-01-15', 'Europe/Paris', 'en'),
        fc.string({ maxLength: 20 }),
        hostileString,
      );
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 120 }), hostileNumber);
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.oneof(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01') }),
        hostileDate,
      );
    default:
      return anyValue;
  }
}

/** Inputs for a procedure: shaped by its schema (when it has one), or anything at all. */
export function inputsFor(schema: ZodLike | undefined, known: Known): fc.Arbitrary<unknown> {
  if (!schema) return anyValue;
  return fc.oneof(
    { arbitrary: shaped(schema, known, 0), weight: 4 },
    { arbitrary: anyValue, weight: 1 },
  );
}

/** One leaf of an input schema: where it is and what kind of value it takes. */
interface Leaf {
  path: readonly string[];
  kind: 'string' | 'number' | 'date' | 'other';
}

/** Values that met 500s before, by the kind of field they are aimed at. */
const CASES: Record<Leaf['kind'], readonly unknown[]> = {
  string: [
    'a\u0000b',
    'x\uD800',
    '\uDC00',
    '',
    'a'.repeat(70_000),
    '+14:00',
    'US/Pacific-New',
    ...DAY_STRINGS.slice(0, 3),
    // Well formed, but nobody's: an id the services must answer as not found.
    '00000000-0000-4000-8000-000000000000',
  ],
  number: [Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 63, 1.5, '1'],
  date: [
    new Date(-8.64e15),
    new Date(8.64e15),
    new Date(Number.NaN),
    new Date('0000-01-01T00:00:00Z'),
    '2026-01-01',
  ],
  other: [null, 'a\u0000b', {}, []],
};

const HINTS: Record<string, (kind: Leaf['kind']) => unknown> = {
  timeZone: () => 'Europe/Paris',
  locale: () => 'en',
  email: () => `fuzz-${Math.random().toString(36).slice(2)}@example.com`,
  password: () => 'correct horse battery staple',
  newPassword: () => 'another horse battery staple',
  currentPassword: () => 'correct horse battery staple',
  from: (kind) => (kind === 'date' ? new Date('2026-01-01T00:00:00Z') : '2026-01-01'),
  to: (kind) => (kind === 'date' ? new Date('2026-01-15T00:00:00Z') : '2026-01-15'),
  inactiveDays: () => 7,
  lookbackDays: () => 30,
  idempotencyKey: () => `fuzz-${Math.random().toString(36).slice(2)}`,
  // Left out of the plausible input: a made-up cursor is refused before any SQL runs, which
  // would hide every other field's path to the database (the cursor still gets its own
  // hostile values, one field at a time).
  cursor: () => undefined,
};

const kindOf = (def: Def): Leaf['kind'] =>
  def.type === 'string' || def.type === 'number' || def.type === 'date' ? def.type : 'other';

/** A plausible valid input, so that one hostile field is what the server meets. */
function sample(schema: ZodLike, known: Known, key = ''): unknown {
  const def = schema._zod.def;
  const hint = HINTS[key];
  switch (def.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape ?? {}).map(([k, field]) => [k, sample(field, known, k)]),
      );
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return def.innerType ? sample(def.innerType, known, key) : undefined;
    case 'pipe':
      return def.in ? sample(def.in, known, key) : undefined;
    case 'union':
      return def.options?.[0] ? sample(def.options[0], known, key) : undefined;
    case 'array':
      return def.element ? [sample(def.element, known)] : [];
    case 'record':
      return def.valueType ? { q01: sample(def.valueType, known) } : {};
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'literal':
      return def.values?.[0];
    case 'boolean':
      return false;
    case 'string':
      if (hint) return hint('string');
      if (def.format === 'uuid') return known.uuids[0];
      if (def.format === 'date') return '2026-01-15';
      if (def.format === 'email') return HINTS.email?.('string');
      return 'hello fuzz 1';
    case 'number':
      return hint ? hint('number') : 1;
    case 'date':
      return hint ? hint('date') : new Date('2026-01-15T00:00:00Z');
    default:
      return undefined;
  }
}

function leavesOf(schema: ZodLike, path: readonly string[] = []): Leaf[] {
  const def = schema._zod.def;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([k, field]) => leavesOf(field, [...path, k]));
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return def.innerType ? leavesOf(def.innerType, path) : [];
    case 'pipe':
      return def.in ? leavesOf(def.in, path) : [];
    case 'array':
      return def.element ? leavesOf(def.element, [...path, '0']) : [];
    default:
      return [{ path, kind: kindOf(def) }];
  }
}

function withValue(base: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const copy: Record<string, unknown> = Array.isArray(base)
    ? ({ ...base } as Record<string, unknown>)
    : { ...(base as Record<string, unknown>) };
  const next = withValue(copy[head], rest, value);
  if (Array.isArray(base)) return Object.values({ ...copy, [head]: next });
  return { ...copy, [head]: next };
}

/**
 * The deterministic part: a valid-looking input with exactly one field replaced by each
 * value that is known to hurt a field of its kind, for every field of the schema.
 */
export function casesFor(schema: ZodLike | undefined, known: Known): unknown[] {
  if (!schema) return [undefined, null, 'a\u0000b'];
  const base = sample(schema, known);
  return [
    base,
    ...leavesOf(schema).flatMap((leaf) =>
      CASES[leaf.kind].map((v) => withValue(base, leaf.path, v)),
    ),
  ];
}

export type { ZodLike };
