import { type Kysely, sql } from 'kysely';

/**
 * `auth.apiKeys.list` pages by `(created_at, id)`, newest first: the id breaks ties between
 * keys created in the same microsecond. `(user_id, created_at, id)` serves the whole order
 * and replaces `(user_id, created_at)`, which nothing else reads. A user holds a handful
 * of keys, so the build inside the migration's transaction is short.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index api_keys_user_created_id_idx on api_keys (user_id, created_at, id)`.execute(
    db,
  );
  await sql`drop index api_keys_user_id_created_at_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists api_keys_user_id_created_at_idx
    on api_keys (user_id, created_at)`.execute(db);
  await sql`drop index if exists api_keys_user_created_id_idx`.execute(db);
}
