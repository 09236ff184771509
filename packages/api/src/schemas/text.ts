import { z } from 'zod';

/**
 * Postgres `text` and `jsonb` cannot hold U+0000, and a lone UTF-16 surrogate is not
 * valid UTF-8: either one in a query parameter fails the statement. Every string input
 * goes through this one check, so such a value is a field error, never a 500.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return null;
}

/** A string that Postgres can store and compare: no NUL, no lone surrogate. */
export function text() {
  return z.string().check((ctx) => {
    const problem = textProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
}
