import { type Kysely, sql } from 'kysely';

/** Finds calls left `pending` by a process that stopped mid-call, for the refund sweep. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index gateway_requests_pending_idx on gateway_requests (created_at)
    where status = 'pending'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index gateway_requests_pending_idx`.execute(db);
}
