import { type Kysely, sql } from 'kysely';

/**
 * Outbound webhooks (endpoints, one delivery per endpoint and event, one log row per
 * attempt) and email (templates per trigger and locale, one log row per email).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      url text not null,
      description text not null default '',
      event_types text[] not null,
      enabled boolean not null default true,
      secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      failing_since timestamptz,
      disabled_at timestamptz,
      disabled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  // The fan-out looks up the enabled endpoints subscribed to one event type.
  await sql`create index webhook_endpoints_events_idx on webhook_endpoints using gin (event_types) where enabled`.execute(
    db,
  );
  await sql`
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      message_id text not null,
      event_type text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts int not null default 0,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      unique (endpoint_id, message_id)
    )
  `.execute(db);
  await sql`create index webhook_deliveries_status_idx on webhook_deliveries (status, created_at)`.execute(
    db,
  );
  await sql`
    create table webhook_logs (
      id uuid primary key default gen_random_uuid(),
      delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      attempt int not null,
      succeeded boolean not null,
      status_code int,
      error text,
      latency_ms int not null,
      response_body text not null default '',
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index webhook_logs_created_idx on webhook_logs (created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index webhook_logs_endpoint_idx on webhook_logs (endpoint_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index webhook_logs_delivery_idx on webhook_logs (delivery_id, attempt)`.execute(
    db,
  );

  await sql`
    create table email_templates (
      id uuid primary key default gen_random_uuid(),
      trigger text not null,
      locale text not null,
      subject text not null,
      html text not null,
      text text not null,
      updated_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (trigger, locale)
    )
  `.execute(db);
  await sql`
    create table email_logs (
      id uuid primary key default gen_random_uuid(),
      trigger text not null,
      locale text not null,
      user_id uuid references users (id) on delete set null,
      to_email text not null,
      subject text not null default '',
      status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
      attempts int not null default 0,
      smtp_response text,
      error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      opened_at timestamptz,
      clicked_at timestamptz
    )
  `.execute(db);
  await sql`create index email_logs_created_idx on email_logs (created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index email_logs_user_idx on email_logs (user_id, created_at desc)`.execute(db);
  await sql`create index email_logs_status_idx on email_logs (status, created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table email_logs`.execute(db);
  await sql`drop table email_templates`.execute(db);
  await sql`drop table webhook_logs`.execute(db);
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_endpoints`.execute(db);
}
