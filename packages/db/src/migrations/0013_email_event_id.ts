import { type Kysely, sql } from 'kysely';

/**
 * The domain event an email was sent for: an event is delivered at least once, so its
 * subscriber may run twice; the unique id makes the second run queue nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table email_logs add column event_id uuid`.execute(db);
  await sql`create unique index email_logs_event_id_key on email_logs (event_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table email_logs drop column event_id`.execute(db);
}
