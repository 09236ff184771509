/**
 * bench/luna: Luna commands (lock, append, project, in one transaction) per second, to one
 * stream and to many streams, against a plain `INSERT` of the same event rows on the same
 * database in the same run; then the time to rebuild BENCH_REBUILD_EVENTS (100k) events.
 * Goals: appends with projections >= 30% of plain inserts; rebuild of 100k events < 10 s
 * (the whole store replayed into fresh tables, as `phoenix luna rebuild` does).
 * The commands and the plain inserts alternate in BENCH_ROUNDS short slices, so a change in
 * the machine's load during the run weighs on both sides alike.
 * `BENCH_DATABASE_URL` puts it on real Postgres (its own schema, dropped at the end);
 * without it, in-memory PGlite.
 */
import { loadavg } from 'node:os';
import { createAppDeps, createLunaGoal, lunaCall, rebuildLunaProjections } from '@phoenix/api';
import { createLogger } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { sql } from '@phoenix/db';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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

/** Operations done and seconds spent, summed over the rounds. */
interface Tally {
  ops: number;
  seconds: number;
}
const perSecond = (t: Tally) => t.ops / t.seconds;

/** `loops` concurrent loops for `seconds`, loop i acting on streams i, i+loops, ...; adds to `tally`. */
async function measure(
  tally: Tally,
  run: { loops: number; seconds: number; streams: string[]; op: (userId: string) => Promise<void> },
) {
  let done = 0;
  const started = performance.now();
  const until = started + run.seconds * 1000;
  await Promise.all(
    Array.from({ length: run.loops }, async (_, loop) => {
      for (let n = loop; performance.now() < until; n += run.loops) {
        await run.op(run.streams[n % run.streams.length] ?? '');
        done++;
      }
    }),
  );
  tally.ops += done;
  tally.seconds += (performance.now() - started) / 1000;
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
const tally = () => ({ ops: 0, seconds: 0 });
const t = { oneStream: tally(), plainOne: tally(), manyStreams: tally(), plainMany: tally() };
const slice = DURATION_S / ROUNDS;
for (let round = 0; round < ROUNDS; round++) {
  const oneLoop = { loops: 1, seconds: slice };
  const loops = { loops: LOOPS, seconds: slice };
  await measure(t.oneStream, { ...oneLoop, streams: [one ?? ''], op: appendGoal });
  await measure(t.plainOne, { ...oneLoop, streams: plainUsers, op: plainInsert });
  await measure(t.manyStreams, { ...loops, streams: many, op: appendGoal });
  await measure(t.plainMany, { ...loops, streams: plainUsers, op: plainInsert });
}
const [oneStream, plainOne, manyStreams, plainMany] = [
  t.oneStream,
  t.plainOne,
  t.manyStreams,
  t.plainMany,
].map(perSecond) as [number, number, number, number];

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
const rebuilt = await rebuildLunaProjections(db, config, {});
const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(
  `bench/luna on ${url ? 'Postgres' : 'PGlite'} (${DURATION_S}s per measure in ${ROUNDS} rounds)`,
);
console.log(`  one stream, commands/s:            ${oneStream.toFixed(0)}`);
console.log(`  plain INSERT, 1 loop:              ${plainOne.toFixed(0)}`);
console.log(`  ratio one stream / plain:          ${ratio(oneStream, plainOne)}`);
console.log(`  ${STREAMS} streams, ${LOOPS} loops, commands/s:  ${manyStreams.toFixed(0)}`);
console.log(`  plain INSERT, ${LOOPS} loops:              ${plainMany.toFixed(0)}`);
console.log(`  ratio many streams / plain:        ${ratio(manyStreams, plainMany)}`);
console.log(
  `  rebuild of ${rebuilt.events} events (${rebuilt.users} streams) into fresh tables: ${rebuildSeconds.toFixed(1)} s`,
);
const verdicts: [string, boolean][] = [
  [
    `appends with projections, one stream / plain INSERT ${ratio(oneStream, plainOne)} (goal >= 0.30)`,
    oneStream / plainOne >= 0.3,
  ],
  [
    `appends with projections, ${STREAMS} streams / plain INSERT ${ratio(manyStreams, plainMany)} (goal >= 0.30)`,
    manyStreams / plainMany >= 0.3,
  ],
];
if (rebuilt.events >= 100_000) {
  verdicts.push([
    `rebuild of ${rebuilt.events} events ${rebuildSeconds.toFixed(1)} s (goal < 10 s)`,
    rebuildSeconds < 10,
  ]);
} else {
  console.log(`  rebuild goal (100k < 10 s): not measured (${rebuilt.events} events)`);
}
for (const [line, ok] of verdicts) console.log(`${ok ? 'PASS' : 'MISS'} ${line}`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exitCode = verdicts.every(([, ok]) => ok) ? 0 : 1;
await deps.jobs.stop({ timeoutMs: 1_000 }).catch(() => undefined);
await database.close();
