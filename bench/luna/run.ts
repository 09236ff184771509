/**
 * bench/luna: Luna commands (lock, append, project, in one transaction) per second, to one
 * stream and to many streams, against a plain `INSERT` of the same event rows on the same
 * database in the same run; then the time to rebuild BENCH_REBUILD_EVENTS (100k) events.
 * Goals: appends with projections >= 30% of plain inserts; rebuild of 100k events < 10 s.
 * `BENCH_DATABASE_URL` puts it on real Postgres (its own schema, dropped at the end);
 * without it, in-memory PGlite.
 */
import { createAppDeps, createLunaGoal, lunaCall, rebuildLunaProjections } from '@phoenix/api';
import { createLogger } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { sql } from '@phoenix/db';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 50);
const LOOPS = Number(process.env.BENCH_LOOPS ?? 4);
const REBUILD_EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 100_000);
const url = process.env.BENCH_DATABASE_URL;

const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn' });
const database = await createTestDatabase({ url });
const { db } = database;
const log = createLogger(config, pino.destination({ dest: '/dev/null', sync: false }));
const deps = createAppDeps({ config, db, kv: createKv({ prefix: `bench:${process.pid}:` }), log });

async function users(count: number, label: string): Promise<string[]> {
  const rows = await db
    .insertInto('users')
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `${label}-${i}-${process.pid}@bench.example`,
        displayName: label,
        passwordHash: 'x',
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** `loops` concurrent loops for DURATION_S, loop i acting on streams i, i+loops, ...; ops/s. */
async function measure(loops: number, streams: string[], op: (userId: string) => Promise<void>) {
  let done = 0;
  const until = performance.now() + DURATION_S * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      for (let n = loop; performance.now() < until; n += loops) {
        await op(streams[n % streams.length] ?? '');
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

const appendGoal = async (userId: string) => {
  const call = lunaCall({ ...deps, requestId: 'bench' }, { userId, apiKeyId: null, tier: 'FREE' });
  await createLunaGoal(call, { title: 'bench goal', target: 3 });
};

let plainVersion = 0;
const plainInsert = async (userId: string) => {
  await db
    .insertInto('lunaEvents')
    .values({
      userId,
      version: ++plainVersion + 1_000_000,
      type: 'goal.created',
      schemaVersion: 1,
      payload: JSON.stringify({ goalId: crypto.randomUUID(), title: 'bench goal', target: 3 }),
      tsMs: Date.now(),
      requestId: 'bench',
    })
    .execute();
};

const [one] = await users(1, 'one');
const many = await users(STREAMS, 'many');
const plainUsers = await users(STREAMS, 'plain');
const oneStream = await measure(1, [one ?? ''], appendGoal);
const plainOne = await measure(1, plainUsers, plainInsert);
const manyStreams = await measure(LOOPS, many, appendGoal);
const plainMany = await measure(LOOPS, plainUsers, plainInsert);

// Rebuild: a stream per 1,000 events, written straight into the store.
const perUser = 1_000;
const rebuildUsers = await users(Math.ceil(REBUILD_EVENTS / perUser), 'rebuild');
for (const userId of rebuildUsers) {
  await sql`
    insert into luna_events (user_id, version, type, schema_version, payload, ts_ms)
    select ${userId}::uuid, v, 'goal.created', 1,
      jsonb_build_object('goalId', gen_random_uuid(), 'title', 'goal ' || v, 'target', 3),
      ${Date.now()}::bigint + v
    from generate_series(1, ${perUser}::int) as v`.execute(db);
  await db
    .insertInto('lunaEnergy')
    .values({ userId, balance: 100, asOfMs: Date.now(), position: perUser })
    .execute();
}
const rebuildStarted = performance.now();
const rebuilt = { events: 0 };
for (const userId of rebuildUsers) {
  const result = await rebuildLunaProjections(db, config, { userId });
  rebuilt.events += result.events;
}
const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(`bench/luna on ${url ? 'Postgres' : 'PGlite'} (${DURATION_S}s per measure)`);
console.log(`  one stream, commands/s:            ${oneStream.toFixed(0)}`);
console.log(`  plain INSERT, 1 loop:              ${plainOne.toFixed(0)}`);
console.log(`  ratio one stream / plain:          ${ratio(oneStream, plainOne)}`);
console.log(`  ${STREAMS} streams, ${LOOPS} loops, commands/s:  ${manyStreams.toFixed(0)}`);
console.log(`  plain INSERT, ${LOOPS} loops:              ${plainMany.toFixed(0)}`);
console.log(`  ratio many streams / plain:        ${ratio(manyStreams, plainMany)}`);
console.log(
  `  goal >= 0.30 of plain inserts:     ${oneStream / plainOne >= 0.3 && manyStreams / plainMany >= 0.3 ? 'met' : 'NOT met'}`,
);
console.log(`  rebuild of ${rebuilt.events} events:        ${rebuildSeconds.toFixed(1)} s`);
const rebuildGoal =
  rebuilt.events < 100_000
    ? 'not measured (fewer events)'
    : rebuildSeconds < 10
      ? 'met'
      : 'NOT met';
console.log(`  goal rebuild 100k < 10 s:          ${rebuildGoal}`);
await deps.jobs.stop({ timeoutMs: 1_000 }).catch(() => undefined);
await database.close();
