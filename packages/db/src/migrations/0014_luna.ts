import { type Kysely, sql } from 'kysely';

/**
 * Luna, the coach: an append-only event store (one stream per user) and the projections
 * that are its read models, each keeping the stream version it has applied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table luna_events (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      version integer not null check (version >= 1),
      type text not null,
      schema_version integer not null check (schema_version >= 1),
      payload jsonb not null,
      ts_ms bigint not null,
      request_id text,
      -- Optimistic concurrency: two appends at the same expected version cannot both land.
      unique (user_id, version)
    )
  `.execute(db);

  // Append-only: UPDATE and TRUNCATE always fail; DELETE only as the cascade of erasing
  // the user (the user row is already gone when the cascade reaches the stream).
  await sql`
    create function luna_events_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and not exists (select 1 from users where id = old.user_id) then
        return old;
      end if;
      raise exception 'luna_events is append-only (% refused)', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger luna_events_no_update_delete
    before update or delete on luna_events
    for each row execute function luna_events_guard()`.execute(db);
  await sql`
    create trigger luna_events_no_truncate
    before truncate on luna_events
    for each statement execute function luna_events_guard()`.execute(db);

  // Energy projection: the balance at as_of_ms; the balance now is computed from time.
  // Its row is also the lock that serialises one user's commands.
  await sql`
    create table luna_energy (
      user_id uuid primary key references users (id) on delete cascade,
      balance double precision not null check (balance >= 0),
      as_of_ms bigint not null,
      position integer not null default 0
    )
  `.execute(db);
  await sql`
    create table luna_energy_transactions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      event_version integer not null,
      reason text not null,
      amount integer not null,
      balance_after double precision not null check (balance_after >= 0),
      ts_ms bigint not null
    )
  `.execute(db);
  await sql`create index luna_energy_transactions_user_idx on luna_energy_transactions (user_id, ts_ms desc, id desc)`.execute(
    db,
  );

  await sql`
    create table luna_conversations (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null,
      archived boolean not null default false,
      message_count integer not null default 0,
      created_at timestamptz not null,
      last_message_at timestamptz,
      position integer not null
    )
  `.execute(db);
  await sql`create index luna_conversations_user_idx on luna_conversations (user_id, created_at desc, id desc)`.execute(
    db,
  );

  await sql`
    create table luna_messages (
      id uuid primary key,
      conversation_id uuid not null references luna_conversations (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('user', 'coach')),
      content text not null,
      degraded boolean not null default false,
      valence double precision,
      arousal double precision,
      label text,
      created_at timestamptz not null,
      position integer not null
    )
  `.execute(db);
  await sql`create index luna_messages_conversation_idx on luna_messages (conversation_id, created_at, id)`.execute(
    db,
  );
  await sql`create index luna_messages_user_mood_idx on luna_messages (user_id, created_at desc) where role = 'user'`.execute(
    db,
  );

  await sql`
    create table luna_goals (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null,
      target integer not null check (target >= 1),
      -- What else moves it: a kind of domain event from another domain ('rise.kaizen', ...).
      tracks text,
      progress integer not null default 0 check (progress >= 0),
      completed_at timestamptz,
      created_at timestamptz not null,
      position integer not null
    )
  `.execute(db);
  await sql`create index luna_goals_user_idx on luna_goals (user_id, created_at desc, id desc)`.execute(
    db,
  );

  // One row per occurrence of a rule: the unique key makes a celebration fire at most once,
  // however many events race to fire it.
  await sql`
    create table luna_celebrations (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      kind text not null,
      occurrence text not null,
      reward integer not null,
      seen boolean not null default false,
      created_at timestamptz not null,
      position integer not null,
      unique (user_id, kind, occurrence)
    )
  `.execute(db);
  await sql`create index luna_celebrations_user_idx on luna_celebrations (user_id, created_at desc, id desc)`.execute(
    db,
  );

  // The long story: chapters the user writes, and every summary Luna wrote of it.
  await sql`
    create table luna_chapters (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null,
      body text not null,
      theme text,
      created_at timestamptz not null,
      position integer not null
    )
  `.execute(db);
  await sql`create index luna_chapters_user_idx on luna_chapters (user_id, position)`.execute(db);
  await sql`
    create table luna_narrative_versions (
      user_id uuid not null references users (id) on delete cascade,
      version integer not null,
      summary text not null,
      -- The stream version the summary covers: a refresh waits for enough events after it.
      covers integer not null,
      created_at timestamptz not null,
      position integer not null,
      primary key (user_id, version)
    )
  `.execute(db);

  // Domain events from other domains already turned into progress: a redelivery is a no-op.
  await sql`
    create table luna_inbox (
      event_id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      source text not null,
      position integer not null
    )
  `.execute(db);

  // Goals Luna proposes; accepting one creates the goal.
  await sql`
    create table luna_goal_proposals (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null,
      target integer not null,
      tracks text,
      status text not null default 'open' check (status in ('open', 'accepted', 'declined')),
      goal_id uuid,
      created_at timestamptz not null,
      position integer not null
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table luna_goal_proposals`.execute(db);
  await sql`drop table luna_inbox`.execute(db);
  await sql`drop table luna_narrative_versions`.execute(db);
  await sql`drop table luna_chapters`.execute(db);
  await sql`drop table luna_celebrations`.execute(db);
  await sql`drop table luna_goals`.execute(db);
  await sql`drop table luna_messages`.execute(db);
  await sql`drop table luna_conversations`.execute(db);
  await sql`drop table luna_energy_transactions`.execute(db);
  await sql`drop table luna_energy`.execute(db);
  await sql`drop table luna_events`.execute(db);
  await sql`drop function luna_events_guard()`.execute(db);
}
