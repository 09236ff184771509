import superjson, { type SuperJSONResult } from 'superjson';

/** Nesting past this goes through superjson itself, whatever it holds. */
const MAX_DEPTH = 64;

/**
 * The hub's tRPC transformer: superjson, with its walk skipped when a value is one that
 * JSON already carries exactly. superjson walks every output and copies it into a new tree
 * to find the dates, maps and `undefined`s it must annotate; for the many answers that hold
 * none (a version, a profile, a page of plain rows) that walk was the single largest cost
 * of a trivial query (docs/architecture.md, § Performance). Such a value is sent as
 * `{ json: value }`, which is what superjson makes of it too, so clients (which decode with
 * plain superjson) see no difference; `transformer.test.ts` holds the two to the same bytes.
 */
export const hubTransformer = {
  serialize(value: unknown): SuperJSONResult {
    return isExactJson(value, 0, new Set())
      ? { json: value as SuperJSONResult['json'] }
      : superjson.serialize(value);
  },
  deserialize<T = unknown>(payload: SuperJSONResult): T {
    return superjson.deserialize<T>(payload);
  },
};

/**
 * True when `JSON.stringify(value)` gives exactly what superjson's `json` would hold and
 * superjson would add no `meta`: strings, booleans, null, finite numbers other than -0,
 * and plain arrays and plain objects of those, with no `toJSON` and no keys JSON would leave
 * out, each object met once (superjson records an object met twice, so its client can
 * restore the shared identity). Keys superjson refuses as a
 * prototype-pollution risk are left to it, so it still refuses them.
 */
function isExactJson(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (seen.has(value)) return false;
  seen.add(value);
  // A `toJSON` would make JSON send something else; superjson ignores it.
  if ('toJSON' in value) return false;
  if (Array.isArray(value)) {
    // Only a plain array of its indices: superjson also walks an array's other own keys
    // (a RegExp match's `index`, `input` and `groups`), which JSON leaves out.
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    if (Object.keys(value).length !== value.length) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !isExactJson(value[i], depth + 1, seen)) return false;
    }
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false;
    if (!isExactJson(record[key], depth + 1, seen)) return false;
  }
  return true;
}
