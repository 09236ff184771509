import { type Kysely, sql } from 'kysely';

/**
 * Champion training: a champion (a top seller's call, pasted or recorded), its transcript
 * split into champion/prospect turns, the analysis steps it went through (each persisted,
 * so a retry skips what succeeded), the selling patterns extracted from it (with their
 * embeddings), versioned practice scenarios, and the training sessions run against them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table champions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null,
      source text not null check (source in ('transcript', 'recording')),
      recording_key text,
      status text not null default 'uploaded'
        check (status in ('uploaded', 'transcribing', 'analyzing', 'ready', 'failed')),
      failure_reason text,
      current_step text,
      progress integer not null default 0 check (progress between 0 and 100),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      analyzed_at timestamptz
    )
  `.execute(db);
  await sql`create index champions_user_idx on champions (user_id, created_at desc, id desc)`.execute(
    db,
  );

  await sql`
    create table champion_transcripts (
      champion_id uuid primary key references champions (id) on delete cascade,
      text text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table champion_turns (
      champion_id uuid not null references champions (id) on delete cascade,
      position integer not null check (position >= 0),
      speaker text not null check (speaker in ('champion', 'prospect')),
      text text not null,
      primary key (champion_id, position)
    )
  `.execute(db);

  // One row per analysis step that finished: its presence is what a retry skips.
  await sql`
    create table champion_analysis_steps (
      champion_id uuid not null references champions (id) on delete cascade,
      step text not null check (step in ('transcribe', 'diarize', 'extract', 'embed')),
      completed_at timestamptz not null default now(),
      detail jsonb,
      primary key (champion_id, step)
    )
  `.execute(db);

  await sql`
    create table champion_patterns (
      id uuid primary key default gen_random_uuid(),
      champion_id uuid not null references champions (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      position integer not null,
      kind text not null check (kind in
        ('opening', 'discovery_question', 'objection_handling', 'closing_technique', 'tone')),
      summary text not null,
      objection text,
      answer text,
      quotes jsonb not null default '[]',
      -- Unit-length vector and the provider/model that made it: only same-model vectors compare.
      embedding double precision[],
      embedding_model text,
      unique (champion_id, position)
    )
  `.execute(db);
  // similarPatterns scans the caller's embedded patterns of one model.
  await sql`
    create index champion_patterns_similar_idx on champion_patterns (user_id, embedding_model)
    where embedding is not null
  `.execute(db);

  // A scenario is a series; each generation adds a version, and sessions name the version.
  await sql`
    create table champion_scenarios (
      id uuid primary key default gen_random_uuid(),
      champion_id uuid not null references champions (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      difficulty text not null check (difficulty in ('easy', 'medium', 'hard')),
      latest_version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (champion_id, difficulty)
    )
  `.execute(db);
  await sql`create index champion_scenarios_list_idx on champion_scenarios (champion_id, created_at, id)`.execute(
    db,
  );
  await sql`
    create table champion_scenario_versions (
      id uuid primary key default gen_random_uuid(),
      scenario_id uuid not null references champion_scenarios (id) on delete cascade,
      version integer not null check (version >= 1),
      title text not null,
      persona text not null,
      context text not null,
      objections jsonb not null,
      created_at timestamptz not null default now(),
      unique (scenario_id, version)
    )
  `.execute(db);

  await sql`
    create table training_sessions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      champion_id uuid not null references champions (id) on delete cascade,
      scenario_version_id uuid not null references champion_scenario_versions (id) on delete cascade,
      status text not null default 'running' check (status in ('running', 'ended')),
      end_reason text check (end_reason in ('ended', 'max_turns', 'inactivity', 'max_duration')),
      seller_turns integer not null default 0,
      overall_score integer check (overall_score between 0 and 100),
      strengths jsonb,
      improvements jsonb,
      started_at timestamptz not null,
      last_activity_at timestamptz not null,
      ended_at timestamptz
    )
  `.execute(db);
  await sql`create index training_sessions_user_idx on training_sessions (user_id, started_at desc, id desc)`.execute(
    db,
  );
  await sql`create index training_sessions_all_idx on training_sessions (started_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create index training_sessions_running_idx on training_sessions (champion_id)
    where status = 'running'
  `.execute(db);

  await sql`
    create table training_turns (
      id uuid primary key,
      session_id uuid not null references training_sessions (id) on delete cascade,
      position integer not null check (position >= 0),
      role text not null check (role in ('seller', 'prospect')),
      text text not null,
      score integer check (score between 0 and 100),
      feedback text,
      pattern_kinds jsonb,
      created_at timestamptz not null,
      unique (session_id, position)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'training_turns',
    'training_sessions',
    'champion_scenario_versions',
    'champion_scenarios',
    'champion_patterns',
    'champion_analysis_steps',
    'champion_turns',
    'champion_transcripts',
    'champions',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
