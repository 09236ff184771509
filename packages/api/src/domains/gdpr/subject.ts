import type { Database, Kysely } from '@phoenix/db';
import type { Subject } from '../../platform/personal-data/index.ts';

/** The person an export or erasure is about, or null when the account is gone. */
export async function loadSubject(db: Kysely<Database>, userId: string): Promise<Subject | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'displayName'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row ? { userId: row.id, email: row.email, displayName: row.displayName } : null;
}
