/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a string can be stored as Postgres text or jsonb: Postgres refuses `\u0000`,
 * and a lone UTF-16 surrogate is not valid UTF-8 (STYLE.md). Refused at the edge so a
 * caller gets a 400 naming the field, never a database error after the fact.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

export const STORABLE_TEXT_MESSAGE = 'must not contain NUL characters or lone surrogates';
