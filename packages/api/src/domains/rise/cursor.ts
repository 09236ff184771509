import { invalid } from '@phoenix/errors';

/**
 * Opaque keyset cursors. Timestamps travel as integer microseconds since the epoch, read
 * from Postgres: a JS Date keeps only milliseconds, and a cursor rounded to the millisecond
 * would skip or repeat rows created within the same millisecond.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

const PART = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  micros: /^-?\d{1,17}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
} as const;

type PartKind = keyof typeof PART;

/** Decodes a cursor whose parts must match `kinds`, or throws an error naming the field. */
export function decodeCursor(value: string, kinds: readonly PartKind[]): string[] {
  const parts = Buffer.from(value, 'base64url').toString().split('|');
  const valid =
    parts.length === kinds.length && kinds.every((kind, i) => PART[kind].test(parts[i] ?? ''));
  if (!valid) throw invalid('Malformed cursor', { field: 'cursor', reason: 'BAD_CURSOR' });
  return parts;
}
