import { type Kysely, sql } from 'kysely';

/**
 * GDPR: export and erasure requests (with the download log of an export), consent records
 * (each change a row, with the version of the text agreed to), and the two narrow paths the
 * append-only tables allow for an erasure: Luna's stream of the erased user is deleted, and
 * audit rows naming them are pseudonymised (the user replaced by a random tombstone), each
 * only inside its own function, which the erasure calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table gdpr_requests (
      id uuid primary key default gen_random_uuid(),
      -- Null once the user is erased: the request row is the record that it happened.
      user_id uuid references users (id) on delete set null,
      kind text not null check (kind in ('export', 'erasure')),
      status text not null check (status in
        ('pending', 'running', 'ready', 'scheduled', 'completed', 'cancelled', 'failed', 'expired')),
      requested_by text not null check (requested_by in ('user', 'admin')),
      admin_id uuid,
      -- The erased user's tombstone: what the kept legal rows name instead of them.
      tombstone uuid,
      scheduled_for timestamptz,
      storage_key text,
      bytes bigint,
      expires_at timestamptz,
      download_count integer not null default 0,
      -- Counts per table of what the erasure did (no personal data).
      report jsonb,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`create index gdpr_requests_user_idx on gdpr_requests (user_id, kind, created_at desc)`.execute(
    db,
  );
  await sql`create index gdpr_requests_created_idx on gdpr_requests (created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index gdpr_requests_due_idx on gdpr_requests (scheduled_for) where status = 'scheduled'`.execute(
    db,
  );

  await sql`
    create table gdpr_export_downloads (
      id bigserial primary key,
      request_id uuid not null references gdpr_requests (id) on delete cascade,
      ip text,
      user_agent text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index gdpr_export_downloads_request_idx on gdpr_export_downloads (request_id)`.execute(
    db,
  );

  await sql`
    create table consent_records (
      id bigserial primary key,
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('marketing_email', 'ai_training')),
      granted boolean not null,
      text_version text not null,
      actor text not null check (actor in ('user', 'admin')),
      ip text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index consent_records_user_idx on consent_records (user_id, purpose, id desc)`.execute(
    db,
  );

  // What export, erasure and retention look up.
  await sql`create index email_logs_to_email_idx on email_logs (lower(to_email))`.execute(db);
  await sql`create index admin_audit_log_resource_id_idx on admin_audit_log (resource_id)`.execute(
    db,
  );
  await sql`create index password_reset_tokens_expires_idx on password_reset_tokens (expires_at)`.execute(
    db,
  );
  await sql`create index webhook_deliveries_created_idx on webhook_deliveries (created_at)`.execute(
    db,
  );

  // Luna's stream: DELETE as before only as the user's cascade, or inside
  // luna_erase_stream(user), which names the one stream it may delete.
  await sql`
    create or replace function luna_events_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and (
        not exists (select 1 from users where id = old.user_id)
        or current_setting('phoenix.luna_erase_user', true) = old.user_id::text
      ) then
        return old;
      end if;
      raise exception 'luna_events is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create function luna_erase_stream(subject uuid) returns integer language plpgsql as $$
    declare
      removed integer;
    begin
      perform set_config('phoenix.luna_erase_user', subject::text, true);
      delete from luna_events where user_id = subject;
      get diagnostics removed = row_count;
      perform set_config('phoenix.luna_erase_user', '', true);
      return removed;
    end
    $$`.execute(db);

  // Audit log: UPDATE passes only inside admin_pseudonymise_audit_log(), only for rows
  // naming the subject, and only in the columns that can carry them; what was done, when,
  // and the request stay as they were.
  await sql`
    create or replace function admin_audit_log_guard() returns trigger language plpgsql as $$
    declare
      cutoff text := current_setting('phoenix.audit_purge_before', true);
      subject text := current_setting('phoenix.audit_pseudonymise', true);
    begin
      if tg_op = 'DELETE' and coalesce(cutoff, '') <> ''
         and cutoff::timestamptz <= now() - interval '30 days'
         and old.created_at < cutoff::timestamptz then
        return old;
      end if;
      if tg_op = 'UPDATE' and coalesce(subject, '') <> ''
         and new.id = old.id and new.action = old.action
         and new.resource_type = old.resource_type and new.created_at = old.created_at
         and new.request_id is not distinct from old.request_id then
        return new;
      end if;
      raise exception 'admin_audit_log is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create function admin_pseudonymise_audit_log(
      subject uuid, tombstone uuid, email text, names text[], actor text
    ) returns integer language plpgsql as $$
    declare
      changed integer;
    begin
      perform set_config('phoenix.audit_pseudonymise', subject::text, true);
      update admin_audit_log a set
        admin_id = case when a.admin_id = subject then tombstone else a.admin_id end,
        admin_email = case when a.admin_id = subject then null else a.admin_email end,
        ip = case when a.admin_id = subject then null else a.ip end,
        user_agent = case when a.admin_id = subject then null else a.user_agent end,
        resource_id = replace(a.resource_id, subject::text, tombstone::text),
        old_value = admin_audit_scrub(a.old_value, subject, tombstone, email || names),
        new_value = admin_audit_scrub(a.new_value, subject, tombstone, email || names)
      where a.admin_id = subject
         or a.resource_id = subject::text
         or position(subject::text in coalesce(a.old_value::text, '') || coalesce(a.new_value::text, '')) > 0
         or position(lower(email) in lower(coalesce(a.old_value::text, '') || coalesce(a.new_value::text, ''))) > 0;
      get diagnostics changed = row_count;
      perform set_config('phoenix.audit_pseudonymise', '', true);
      insert into admin_audit_log (action, resource_type, resource_id, new_value, user_agent)
      values ('gdpr.pseudonymise', 'audit_log', tombstone::text,
        jsonb_build_object('rows', changed), actor);
      return changed;
    end
    $$`.execute(db);
  // In the rows that name the subject: the id becomes the tombstone, and each of their
  // strings (email as stored and lowercased, names) becomes "[erased]", matched as it
  // appears inside JSON text (quotes and backslashes escaped).
  await sql`
    create function admin_audit_scrub(value jsonb, subject uuid, tombstone uuid, needles text[])
    returns jsonb language plpgsql immutable as $$
    declare
      t text;
      n text;
      quoted text;
    begin
      if value is null then
        return null;
      end if;
      t := replace(value::text, subject::text, tombstone::text);
      foreach n in array needles loop
        if length(n) > 0 then
          quoted := to_jsonb(n)::text;
          t := replace(t, substr(quoted, 2, length(quoted) - 2), '[erased]');
          quoted := to_jsonb(lower(n))::text;
          t := replace(t, substr(quoted, 2, length(quoted) - 2), '[erased]');
        end if;
      end loop;
      return t::jsonb;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists admin_pseudonymise_audit_log(uuid, uuid, text, text[], text)`.execute(
    db,
  );
  await sql`drop function if exists admin_audit_scrub(jsonb, uuid, uuid, text[])`.execute(db);
  await sql`drop function if exists luna_erase_stream(uuid)`.execute(db);
  await sql`drop index if exists email_logs_to_email_idx`.execute(db);
  await sql`drop index if exists admin_audit_log_resource_id_idx`.execute(db);
  await sql`drop index if exists password_reset_tokens_expires_idx`.execute(db);
  await sql`drop index if exists webhook_deliveries_created_idx`.execute(db);
  await sql`drop table if exists consent_records`.execute(db);
  await sql`drop table if exists gdpr_export_downloads`.execute(db);
  await sql`drop table if exists gdpr_requests`.execute(db);
}
