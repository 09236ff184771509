import { type Kysely, sql } from 'kysely';

/**
 * Billing: one provider customer per user and provider, the checkouts the hub opened, every
 * provider event received (stored once by its id), the user's subscription state, invoices
 * and payments, and the subscription history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table billing_customers (
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      customer_id text not null,
      created_at timestamptz not null default now(),
      primary key (user_id, provider),
      unique (provider, customer_id)
    )
  `.execute(db);
  await sql`
    create table billing_checkouts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      kind text not null check (kind in ('subscription', 'top_up')),
      plan_id text,
      pack_id text,
      credits bigint not null default 0,
      amount bigint not null,
      currency text not null,
      provider_checkout_id text,
      url text not null default '',
      status text not null default 'open' check (status in ('open', 'paid', 'failed', 'canceled')),
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )
  `.execute(db);
  await sql`create unique index billing_checkouts_provider_idx on billing_checkouts (provider, provider_checkout_id)`.execute(
    db,
  );
  await sql`create index billing_checkouts_user_idx on billing_checkouts (user_id, created_at desc)`.execute(
    db,
  );
  await sql`
    create table billing_events (
      id uuid primary key default gen_random_uuid(),
      provider text not null,
      event_id text not null,
      type text not null,
      payload jsonb not null,
      provider_created_at timestamptz not null,
      status text not null default 'received'
        check (status in ('received', 'processed', 'ignored', 'failed')),
      error text,
      attempts int not null default 0,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      unique (provider, event_id)
    )
  `.execute(db);
  await sql`create index billing_events_received_idx on billing_events (received_at desc, id desc)`.execute(
    db,
  );
  await sql`create index billing_events_status_idx on billing_events (status, received_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create table billing_subscriptions (
      user_id uuid primary key references users (id) on delete cascade,
      provider text not null,
      subscription_id text,
      plan_id text not null,
      status text not null check (status in ('incomplete', 'active', 'past_due', 'canceled')),
      current_period_end timestamptz,
      grace_until timestamptz,
      cancel_at_period_end boolean not null default false,
      state_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index billing_subscriptions_provider_idx on billing_subscriptions (provider, subscription_id)`.execute(
    db,
  );
  await sql`create index billing_subscriptions_grace_idx on billing_subscriptions (grace_until) where grace_until is not null`.execute(
    db,
  );
  await sql`
    create table billing_invoices (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      provider_ref text not null,
      kind text not null check (kind in ('subscription', 'top_up')),
      plan_id text,
      pack_id text,
      credits bigint not null default 0,
      credits_clawed_back bigint not null default 0,
      amount bigint not null,
      currency text not null,
      status text not null check (status in ('paid', 'failed', 'refunded')),
      occurred_at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (provider, provider_ref)
    )
  `.execute(db);
  await sql`create index billing_invoices_user_idx on billing_invoices (user_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create table billing_subscription_events (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      from_plan text,
      to_plan text,
      from_tier text not null,
      to_tier text not null,
      status text not null,
      cause text not null,
      provider text,
      provider_event_id text,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index billing_subscription_events_user_idx on billing_subscription_events (user_id, created_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'billing_subscription_events',
    'billing_invoices',
    'billing_subscriptions',
    'billing_events',
    'billing_checkouts',
    'billing_customers',
  ]) {
    await sql`drop table ${sql.raw(table)}`.execute(db);
  }
}
