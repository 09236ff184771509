import { type Kysely, sql } from 'kysely';

/**
 * How the GDPR export and erasure find a user named inside JSON text (event payloads,
 * job data, audit values): their email as a whole address, and their name or a provider id
 * as a whole word, never as part of a longer one. 0019 matched them as substrings, so the
 * user `m@example.com` also matched `tom@example.com`: their export held other users'
 * events and audit rows, their erasure deleted other users' events and scrubbed other
 * users' addresses in the audit log (`to[erased]`).
 *
 * `email_mention_pattern` and `mention_pattern` give a regular expression for `~*`
 * (case-insensitive), and `jsonb_mentions` applies one to each decoded string value of a
 * jsonb (never to keys, numbers or the JSON text, where a line break reads `\n`). The audit
 * log's pseudonymisation and scrub are redone with them; the scrub now rewrites string
 * values only, so a name like "N" or "true" can no longer break the JSON it edits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A raw string where a pattern holds backslashes, so they reach Postgres as written.
  await sql
    .raw(String.raw`
    create function mention_literal(needle text) returns text
    language sql immutable strict as $$
      -- Every character that is not a letter, digit or space escaped for the regex.
      select regexp_replace(needle, '([^[:alnum:][:space:]])', '\\\1', 'g')
    $$`)
    .execute(db);
  await sql
    .raw(String.raw`
    create function email_mention_pattern(email text) returns text
    language sql immutable strict as $$
      -- Not after a character an address's local part may hold (chr(96) is the backtick),
      -- not before one its domain may hold (a full stop ending a sentence is not part of it).
      select '(?<![[:alnum:]._%+!#$&''*/=?^' || chr(96) || '{|}~-])' || mention_literal(email)
        || '(?![[:alnum:]_-]|\.[[:alnum:]])'
    $$`)
    .execute(db);
  await sql`
    create function mention_pattern(word text) returns text
    language sql immutable strict as $$
      select '(?<![[:alnum:]_])' || mention_literal(word) || '(?![[:alnum:]_])'
    $$`.execute(db);
  // Matched against each string value, decoded (a line break is a line break, not "\n"),
  // never against keys, numbers or the JSON text around them.
  await sql`
    create function jsonb_mentions(value jsonb, pattern text) returns boolean
    language sql immutable strict as $$
      select exists (
        select 1 from jsonb_path_query(value, 'strict $.**') as item
        where jsonb_typeof(item) = 'string' and (item #>> '{}') ~* pattern
      )
    $$`.execute(db);
  await sql`
    create or replace function admin_audit_scrub(value jsonb, subject uuid, tombstone uuid, needles text[])
    returns jsonb language plpgsql immutable as $$
    declare
      t text;
      n text;
      result jsonb;
    begin
      if value is null then
        return null;
      end if;
      case jsonb_typeof(value)
        when 'object' then
          select coalesce(jsonb_object_agg(k, admin_audit_scrub(v, subject, tombstone, needles)), '{}'::jsonb)
            into result from jsonb_each(value) as e(k, v);
          return result;
        when 'array' then
          select coalesce(jsonb_agg(admin_audit_scrub(v, subject, tombstone, needles) order by i), '[]'::jsonb)
            into result from jsonb_array_elements(value) with ordinality as a(v, i);
          return result;
        when 'string' then
          -- Inside string values only: keys, numbers and literals stay what they are.
          t := replace(value #>> '{}', subject::text, tombstone::text);
          foreach n in array needles loop
            if length(n) > 0 then
              t := regexp_replace(t,
                case when position('@' in n) > 0 then email_mention_pattern(n) else mention_pattern(n) end,
                '[erased]', 'gi');
            end if;
          end loop;
          return to_jsonb(t);
        else
          return value;
      end case;
    end
    $$`.execute(db);
  await sql`
    create or replace function admin_pseudonymise_audit_log(
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
         or coalesce(jsonb_mentions(a.old_value, email_mention_pattern(email)), false)
         or coalesce(jsonb_mentions(a.new_value, email_mention_pattern(email)), false);
      get diagnostics changed = row_count;
      perform set_config('phoenix.audit_pseudonymise', '', true);
      insert into admin_audit_log (action, resource_type, resource_id, new_value, user_agent)
      values ('gdpr.pseudonymise', 'audit_log', tombstone::text,
        jsonb_build_object('rows', changed), actor);
      return changed;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function admin_audit_scrub(value jsonb, subject uuid, tombstone uuid, needles text[])
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
  await sql`
    create or replace function admin_pseudonymise_audit_log(
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
  await sql`drop function if exists jsonb_mentions(jsonb, text)`.execute(db);
  await sql`drop function if exists mention_pattern(text)`.execute(db);
  await sql`drop function if exists email_mention_pattern(text)`.execute(db);
  await sql`drop function if exists mention_literal(text)`.execute(db);
}
