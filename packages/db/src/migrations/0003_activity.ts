import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('activity_events_user_created_idx')
    .on('activity_events')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('activity_events_created_idx')
    .on('activity_events')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('activity_events_action_created_idx')
    .on('activity_events')
    .columns(['action', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_events').execute();
}
