import { type Kysely, sql } from 'kysely';

/**
 * The domain event log: one row per event, written in the transaction of the change that
 * caused it (the subscribers' delivery jobs are enqueued in the same transaction).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table domain_events (
      id uuid primary key default gen_random_uuid(),
      type text not null,
      payload jsonb not null,
      occurred_at timestamptz not null default now()
    )
  `.execute(db);
  // Newest first, optionally of one type: the admin view and later webhook replays.
  await sql`create index domain_events_occurred_idx on domain_events (occurred_at desc, id desc)`.execute(
    db,
  );
  await sql`create index domain_events_type_idx on domain_events (type, occurred_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table domain_events`.execute(db);
}
