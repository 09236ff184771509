import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('kaizen_actions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull().check(sql`char_length(text) between 1 and 500`))
    // A calendar day chosen in the user's time zone, not an instant: it never shifts with DST.
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Serves the keyset-paginated list (user_id =, then (date, created_at, id) row comparison)
  // and the per-user counts of the dashboard.
  await db.schema
    .createIndex('kaizen_actions_user_date_idx')
    .on('kaizen_actions')
    .columns(['user_id', 'date', 'created_at', 'id'])
    .execute();
  // Streaks read only completed days: a small partial index instead of the whole history.
  await db.schema
    .createIndex('kaizen_actions_user_completed_date_idx')
    .on('kaizen_actions')
    .columns(['user_id', 'date'])
    .where(sql.ref('completed_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('zazen_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) =>
      c.notNull().check(sql`duration_seconds between 1 and 14400`),
    )
    .addColumn('trigger', 'text', (c) =>
      c.notNull().check(sql`trigger in ('stress', 'decision', 'routine', 'other')`),
    )
    .addColumn('notes', 'text', (c) => c.check(sql`char_length(notes) <= 2000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Serves the keyset-paginated list, the 12-week range scan and the per-user aggregates.
  await db.schema
    .createIndex('zazen_sessions_user_started_at_idx')
    .on('zazen_sessions')
    .columns(['user_id', 'started_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('zazen_sessions').execute();
  await db.schema.dropTable('kaizen_actions').execute();
}
