import { invalid } from '@phoenix/errors';

/** Position after the last row of a page ordered by (createdAt desc, id desc). */
export interface Cursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeCursor = (c: Cursor): string =>
  Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

export function decodeCursor(value: string): Cursor {
  const [iso, id, ...rest] = Buffer.from(value, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  // The id is compared as a uuid in SQL: a malformed one must fail here, as a 400.
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw invalid('Malformed cursor', { field: 'cursor', reason: 'BAD_CURSOR' });
  }
  return { createdAt, id };
}
