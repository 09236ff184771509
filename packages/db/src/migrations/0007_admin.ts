import { type Kysely, sql } from 'kysely';

/**
 * Admin back office: audit log (append-only, enforced by a trigger), notes on users,
 * grouped error log, system alerts. Each plpgsql body is one statement so it runs on
 * PGlite's extended protocol as well as on Postgres.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key on admin_id: deleting a user must not rewrite (SET NULL) audit rows.
  await db.schema
    .createTable('admin_audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('admin_id', 'uuid')
    .addColumn('admin_email', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('old_value', 'jsonb')
    .addColumn('new_value', 'jsonb')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('admin_audit_log_created_idx')
    .on('admin_audit_log')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('admin_audit_log_admin_idx')
    .on('admin_audit_log')
    .columns(['admin_id', 'id'])
    .execute();
  await db.schema
    .createIndex('admin_audit_log_resource_idx')
    .on('admin_audit_log')
    .columns(['resource_type', 'resource_id', 'id'])
    .execute();
  await db.schema
    .createIndex('admin_audit_log_action_idx')
    .on('admin_audit_log')
    .columns(['action', 'id'])
    .execute();

  // Append-only: UPDATE and TRUNCATE always fail; DELETE only succeeds inside
  // admin_purge_audit_log(), which sets a transaction-local cutoff, and only for rows
  // older than that cutoff, itself at least 30 days in the past.
  await sql`
    create function admin_audit_log_guard() returns trigger language plpgsql as $$
    declare
      cutoff text := current_setting('phoenix.audit_purge_before', true);
    begin
      if tg_op = 'DELETE' and coalesce(cutoff, '') <> ''
         and cutoff::timestamptz <= now() - interval '30 days'
         and old.created_at < cutoff::timestamptz then
        return old;
      end if;
      raise exception 'admin_audit_log is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger admin_audit_log_no_update_delete
    before update or delete on admin_audit_log
    for each row execute function admin_audit_log_guard()`.execute(db);
  await sql`
    create trigger admin_audit_log_no_truncate
    before truncate on admin_audit_log
    for each statement execute function admin_audit_log_guard()`.execute(db);

  // Retention: the one way rows leave the log, and it audits itself in the same transaction.
  await sql`
    create function admin_purge_audit_log(retention_days integer, actor text)
    returns integer language plpgsql as $$
    declare
      cutoff timestamptz;
      removed integer;
    begin
      if retention_days is null or retention_days < 30 then
        raise exception 'audit retention must be at least 30 days (got %)', retention_days
          using errcode = 'invalid_parameter_value';
      end if;
      cutoff := now() - make_interval(days => retention_days);
      perform set_config('phoenix.audit_purge_before', cutoff::text, true);
      delete from admin_audit_log where created_at < cutoff;
      get diagnostics removed = row_count;
      perform set_config('phoenix.audit_purge_before', '', true);
      insert into admin_audit_log (action, resource_type, new_value, user_agent)
      values ('cli.audit-retention', 'audit_log',
        jsonb_build_object('retentionDays', retention_days, 'cutoff', cutoff, 'deleted', removed),
        actor);
      return removed;
    end
    $$`.execute(db);

  await db.schema
    .createTable('admin_user_notes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('pinned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('admin_user_notes_user_idx')
    .on('admin_user_notes')
    .columns(['user_id', 'pinned', 'created_at'])
    .execute();

  // One row per fingerprint (repeats bump count/last_seen_at); occurrences feed errors-per-day.
  await db.schema
    .createTable('admin_errors')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('path', 'text')
    .addColumn('last_request_id', 'text')
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema
    .createIndex('admin_errors_last_seen_idx')
    .on('admin_errors')
    .columns(['last_seen_at', 'id'])
    .execute();
  await db.schema
    .createTable('admin_error_occurrences')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('error_id', 'uuid', (c) =>
      c.notNull().references('admin_errors.id').onDelete('cascade'),
    )
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('admin_error_occurrences_created_idx')
    .on('admin_error_occurrences')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('admin_error_occurrences_error_idx')
    .on('admin_error_occurrences')
    .columns(['error_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('admin_alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) =>
      c.notNull().check(sql`severity in ('info', 'warning', 'critical')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    // Raising the same condition twice (same key) is a no-op, so spikes do not flood.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .addColumn('dismissed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('admin_alerts_created_idx')
    .on('admin_alerts')
    .columns(['created_at', 'id'])
    .execute();

  // Funnel "first diagnostic completed" looks up one action per user.
  await db.schema
    .createIndex('activity_events_user_action_idx')
    .on('activity_events')
    .columns(['user_id', 'action'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('activity_events_user_action_idx').ifExists().execute();
  await db.schema.dropTable('admin_alerts').ifExists().execute();
  await db.schema.dropTable('admin_error_occurrences').ifExists().execute();
  await db.schema.dropTable('admin_errors').ifExists().execute();
  await db.schema.dropTable('admin_user_notes').ifExists().execute();
  await db.schema.dropTable('admin_audit_log').ifExists().execute();
  await sql`drop function if exists admin_purge_audit_log(integer, text)`.execute(db);
  await sql`drop function if exists admin_audit_log_guard()`.execute(db);
}
