/**
 * bench/jobs: no-op jobs completed per second by two workers (two pg-boss instances, each
 * with its own pool, as two processes would have) against a plain `INSERT ...; DELETE`
 * loop on two connections, measured in the same run on the same database. Goal on this
 * machine: >= 1,000 jobs/s. `BENCH_DATABASE_URL` puts it on real Postgres, in a schema of
 * its own (dropped at the end); without it, in-memory PGlite.
 */
import { type AppDeps, createAppDeps, defineJob, jobStoreFor, startWorker } from '@phoenix/api';
import { createLogger } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { sql } from '@phoenix/db';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';
import { z } from 'zod';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const BASELINE_S = Number(process.env.BENCH_DURATION_S ?? 5);
const url = process.env.BENCH_DATABASE_URL;

const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  JOBS_POLL_INTERVAL_MS: '500',
  ...(process.env.JOBS_BATCH_SIZE ? { JOBS_BATCH_SIZE: process.env.JOBS_BATCH_SIZE } : {}),
  ...(process.env.JOBS_CONCURRENCY ? { JOBS_CONCURRENCY: process.env.JOBS_CONCURRENCY } : {}),
});
const database = await createTestDatabase({ url });
const log = createLogger(config, pino.destination({ dest: '/dev/null', sync: false }));
let completed = 0;
const noop = defineJob({
  name: 'bench.noop',
  payload: z.object({ n: z.int() }),
  async handler() {
    completed++;
  },
});

const instance = (): AppDeps =>
  createAppDeps({
    config,
    db: database.db,
    kv: createKv({ prefix: `bench:${process.pid}:` }),
    log,
    jobStore: jobStoreFor(database, {
      url,
      schema: database.schema ?? config.jobs.schema,
      poolMax: config.jobs.poolMax,
    }),
    extraJobs: [noop],
  });

/** Plain SQL on two concurrent loops: what one durable write-then-delete costs. */
async function baseline(): Promise<number> {
  await sql`create table bench_baseline (id bigserial primary key, data jsonb)`.execute(
    database.db,
  );
  let done = 0;
  const until = performance.now() + BASELINE_S * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const { rows } = await sql<{ id: number }>`
        insert into bench_baseline (data) values ('{}'::jsonb) returning id
      `.execute(database.db);
      await sql`delete from bench_baseline where id = ${rows[0]?.id}`.execute(database.db);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all([loop(), loop()]);
  return done / ((performance.now() - started) / 1000);
}

try {
  const baselineRate = await baseline();

  const producer = instance();
  await producer.jobs.start({ maintenance: false });
  for (let sent = 0; sent < JOBS; sent += 1000) {
    const n = Math.min(1000, JOBS - sent);
    await producer.jobs.sendMany(
      noop,
      Array.from({ length: n }, (_, i) => ({ n: sent + i })),
    );
  }

  const workers = [instance(), instance()];
  const started = performance.now();
  for (const deps of workers) await deps.jobs.start({ maintenance: true });
  const running = await Promise.all(workers.map((deps) => startWorker(deps)));
  while (completed < JOBS) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const rate = JOBS / seconds;
  await Promise.all(running.map((worker) => worker.stop()));
  await producer.jobs.stop();

  const store = url ? 'Postgres' : 'PGlite';
  console.log(
    `bench/jobs on ${store} (batch ${config.jobs.batchSize}, concurrency ${config.jobs.concurrency} per worker)`,
  );
  console.log(`  baseline INSERT; DELETE (2 loops): ${baselineRate.toFixed(0)} ops/s`);
  console.log(
    `  no-op jobs, 2 workers:             ${rate.toFixed(0)} jobs/s (${JOBS} in ${seconds.toFixed(2)} s, start included)`,
  );
  console.log(`  ratio jobs / baseline:             ${(rate / baselineRate).toFixed(2)}`);
  console.log(`  goal >= 1000 jobs/s:               ${rate >= 1000 ? 'met' : 'NOT met'}`);
} finally {
  await database.close();
}
