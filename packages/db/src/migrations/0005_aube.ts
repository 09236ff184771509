import { type Kysely, sql } from 'kysely';

// Millisecond precision: keyset cursors carry a JS Date, which has no microseconds, so a
// finer column would let rows slip between two pages.
const createdAt = sql`timestamptz(3)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('aube_diagnostics')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('catalog_version', 'text', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('scores', 'jsonb', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type ~ '^[EI][SN][TF][JP]$'`))
    .addColumn('confidence', 'float8', (c) =>
      c.notNull().check(sql`confidence >= 0 and confidence <= 1`),
    )
    .addColumn('dimension_clarity', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', createdAt, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // History (keyset on created_at, id), latest, and the per-user diagnostics count.
  await db.schema
    .createIndex('aube_diagnostics_user_created_idx')
    .on('aube_diagnostics')
    .expression(sql`user_id, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('aube_recommendations')
    .addColumn('diagnostic_id', 'uuid', (c) =>
      c.primaryKey().references('aube_diagnostics.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('steps', 'jsonb', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('generated_at', createdAt, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Reads go by diagnostic_id (the key); this one serves the cascade when a user is deleted.
  await db.schema
    .createIndex('aube_recommendations_user_idx')
    .on('aube_recommendations')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('aube_career_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('career_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('viewed', 'saved', 'dismissed')`),
    )
    .addColumn('created_at', createdAt, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Recent activity of one user.
  await db.schema
    .createIndex('aube_career_events_user_created_idx')
    .on('aube_career_events')
    .columns(['user_id', 'created_at'])
    .execute();
  // Analytics: counts by kind, and the most viewed careers (group by career_id within a kind).
  await db.schema
    .createIndex('aube_career_events_user_kind_career_idx')
    .on('aube_career_events')
    .columns(['user_id', 'kind', 'career_id'])
    .execute();

  await db.schema
    .createTable('aube_saved_careers')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('career_id', 'text', (c) => c.notNull())
    .addColumn('saved_at', createdAt, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('aube_saved_careers_pkey', ['user_id', 'career_id'])
    .execute();
  // The saved list, newest first.
  await db.schema
    .createIndex('aube_saved_careers_user_saved_idx')
    .on('aube_saved_careers')
    .expression(sql`user_id, saved_at desc`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('aube_saved_careers').execute();
  await db.schema.dropTable('aube_career_events').execute();
  await db.schema.dropTable('aube_recommendations').execute();
  await db.schema.dropTable('aube_diagnostics').execute();
}
