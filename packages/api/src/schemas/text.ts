import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`, 'g');

/**
 * Postgres `text` and `jsonb` cannot hold U+0000, and a lone UTF-16 surrogate is not
 * valid UTF-8: either one in a query parameter fails the statement. Every string input
 * goes through this one check, so such a value is a field error, never a 500.
 */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return null;
}

/** A string that Postgres can store and compare: no NUL, no lone surrogate. */
export function text() {
  return z.string().check((ctx) => {
    const problem = textProblem(ctx.value);
    // `continue` marks the issue as not aborting, so a union still reports this branch's path.
    if (problem)
      ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, continue: true });
  });
}

/**
 * Text we did not write (a provider's answer, its error messages) made storable: each NUL
 * and lone surrogate becomes U+FFFD, the replacement character, as a UTF-8 decoder does
 * with bytes it cannot read. Refusing is not an option there: the provider was paid.
 */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

/** JSON for a `jsonb` column, every string in it made storable. */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storableText(v) : v));
}
