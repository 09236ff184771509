/**
 * bench/jobs: no-op jobs completed per second by two workers (two pg-boss instances, each
 * with its own pool, as two processes would have) against a plain `INSERT ...; DELETE`
 * loop on two connections, measured in the same run on the same database. Goal on this
 * machine: >= 1,000 jobs/s. `BENCH_DATABASE_URL` puts it on real Postgres, in a schema of
 * its own (dropped at the end); without it, in-memory PGlite.
 *
 * Then webhook deliveries per second (BENCH_WEBHOOKS, default 2,000) from the same two
 * workers to a local receiver answering 204: each one signed, POSTed, logged and settled.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AppDeps,
  createAppDeps,
  defineJob,
  deliverWebhookJob,
  jobStoreFor,
  startWorker,
} from '@phoenix/api';
import { createLogger } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { sql } from '@phoenix/db';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';
import { z } from 'zod';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 2_000);
const BASELINE_S = Number(process.env.BENCH_DURATION_S ?? 5);
const url = process.env.BENCH_DATABASE_URL;

const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  JOBS_POLL_INTERVAL_MS: '500',
  // The receiver is on 127.0.0.1.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
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

  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  const endpoint = await database.db
    .insertInto('webhookEndpoints')
    .values({
      url: `http://127.0.0.1:${port}/hook`,
      eventTypes: ['user.registered'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const deliveries = await database.db
    .insertInto('webhookDeliveries')
    .values(
      Array.from({ length: WEBHOOKS }, (_, n) => ({
        endpointId: endpoint.id,
        messageId: `msg_bench_${n}`,
        eventType: 'user.registered',
        payload: JSON.stringify({ type: 'user.registered', timestamp: new Date(), data: { n } }),
      })),
    )
    .returning('id')
    .execute();
  const hooksStarted = performance.now();
  await producer.jobs.sendMany(
    deliverWebhookJob,
    deliveries.map((row) => ({ deliveryId: row.id, attempt: 1 })),
  );
  const succeeded = async () =>
    Number(
      (
        await database.db
          .selectFrom('webhookDeliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'succeeded')
          .executeTakeFirstOrThrow()
      ).n,
    );
  while ((await succeeded()) < WEBHOOKS) await new Promise((resolve) => setTimeout(resolve, 100));
  const hookSeconds = (performance.now() - hooksStarted) / 1000;
  receiver.close();

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
  console.log(
    `  webhook deliveries, 2 workers:     ${(WEBHOOKS / hookSeconds).toFixed(0)} /s (${WEBHOOKS} signed POSTs to a local receiver, logged, in ${hookSeconds.toFixed(2)} s)`,
  );
} finally {
  await database.close();
}
