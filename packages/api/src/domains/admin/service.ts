import { type Database, type Kysely, sql } from '@phoenix/db';
import { invalid } from '@phoenix/errors';
import type { ListUsersInput } from './schemas.ts';

interface Cursor {
  createdAt: Date;
  id: string;
}

const encodeCursor = (c: Cursor) =>
  Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(value: string): Cursor {
  const [iso, id] = Buffer.from(value, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw invalid('Malformed cursor', { field: 'cursor', reason: 'BAD_CURSOR' });
  }
  return { createdAt, id };
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable under inserts. */
export async function listUsers(db: Kysely<Database>, input: ListUsersInput) {
  let query = db
    .selectFrom('users')
    .select([
      'id',
      'email',
      'displayName',
      'role',
      'tier',
      'active',
      'createdAt',
      'lastLoginAt',
      'loginCount',
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('email', 'ilike', pattern), eb('displayName', 'ilike', pattern)]),
    );
  }
  if (input.role) query = query.where('role', '=', input.role);
  if (input.tier) query = query.where('tier', '=', input.tier);
  if (input.active !== undefined) query = query.where('active', '=', input.active);
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    query = query.where(sql<boolean>`(created_at, id) < (${cursor.createdAt}, ${cursor.id}::uuid)`);
  }
  const rows = await query.execute();
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}
