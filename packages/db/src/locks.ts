import { type Kysely, sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Holds a Postgres advisory lock named by `key` until the transaction `trx` ends:
 * transactions that take the same key run their locked part one at a time.
 */
export async function lockForTransaction(trx: Kysely<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
