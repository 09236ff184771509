import { invalid } from '@phoenix/errors';
import type { z } from 'zod';

/** Opaque page cursors: base64url JSON, checked against a schema when read back. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(value: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString());
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalid('Malformed cursor', { field: 'cursor', reason: 'BAD_CURSOR' });
  return result.data;
}

/** Takes `limit` rows of a `limit + 1` fetch and says whether another page exists. */
export function page<T>(rows: T[], limit: number, cursorOf: (last: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
