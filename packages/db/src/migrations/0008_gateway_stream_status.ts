import { type Kysely, sql } from 'kysely';

/**
 * Streams can end in two more ways than a plain call: `interrupted` (the provider broke
 * after tokens flowed; what was delivered is billed) and `aborted` (the client hung up;
 * what was used is billed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway_requests drop constraint gateway_requests_status_check`.execute(db);
  await sql`
    alter table gateway_requests add constraint gateway_requests_status_check
    check (status in ('pending', 'ok', 'failed', 'cached', 'interrupted', 'aborted'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway_requests drop constraint gateway_requests_status_check`.execute(db);
  await sql`
    alter table gateway_requests add constraint gateway_requests_status_check
    check (status in ('pending', 'ok', 'failed', 'cached'))
  `.execute(db);
}
