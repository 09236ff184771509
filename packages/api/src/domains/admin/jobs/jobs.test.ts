import { sql } from '@phoenix/db';
import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppDeps } from '../../../context.ts';
import { defineJob, type JobRun } from '../../../platform/jobs/index.ts';
import {
  auditRowsFor,
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../../testing/index.ts';

const WAIT = { timeout: 30_000, interval: 100 };

// Two servers (two processes' worth of workers) on one database and one kv.
let database: TestDatabase;
let kv: TestKv;
let a: TestServer;
let b: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

const runs: { id: string; by: AppDeps }[] = [];
const countJob = defineJob({
  name: 'test.count',
  payload: z.object({ n: z.int() }),
  async handler(deps, _payload, run) {
    runs.push({ id: run.id, by: deps });
  },
});

const attempts: number[] = [];
const flakyJob = defineJob({
  name: 'test.flaky',
  payload: z.object({}),
  retry: { limit: 3, delaySeconds: 1 },
  async handler(_deps, _payload, run) {
    attempts.push(Date.now());
    if (run.retryCount < 2) throw new Error(`attempt ${run.retryCount + 1} fails`);
  },
});

let healed = false;
const brokenJob = defineJob({
  name: 'test.broken',
  payload: z.object({}),
  retry: { limit: 1, delaySeconds: 0 },
  async handler() {
    if (!healed) throw new Error('always fails');
  },
});

const buried: { payload: { n: number }; run: JobRun }[] = [];
const buriedJob = defineJob({
  name: 'test.buried',
  payload: z.object({ n: z.int() }),
  async handler(_deps, payload, run) {
    buried.push({ payload, run });
  },
});
const doomedJob = defineJob({
  name: 'test.doomed',
  payload: z.object({ n: z.int() }),
  retry: { limit: 1, delaySeconds: 0 },
  deadLetter: buriedJob,
  async handler(_deps, payload, run) {
    throw new Error(`doomed ${payload.n}, attempt ${run.retryCount + 1}`);
  },
});

const ticks: string[] = [];
const tickJob = defineJob({
  name: 'test.tick',
  payload: z.object({}),
  schedule: '* * * * *',
  async handler(_deps, _payload, run) {
    ticks.push(run.id);
  },
});

const jobs = [countJob, flakyJob, brokenJob, tickJob, buriedJob, doomedJob];

beforeAll(async () => {
  database = await createTestDatabase();
  kv = createTestKv();
  a = await startAdminTestServer({ database, kv, jobs, worker: true });
  b = await startAdminTestServer({ database, kv, jobs, worker: true });
  admin = await signUp(a, { label: 'jobs-admin', role: 'admin' });
});
afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await kv?.close();
  await database?.close();
});

const jobState = async (id: string) => (await admin.client.admin.jobs.get.query({ id })).state;

describe('the job queue', () => {
  it('runs each job once when two workers poll the same queue', async () => {
    const total = 200;
    await a.deps.jobs.sendMany(
      countJob,
      Array.from({ length: total }, (_, n) => ({ n })),
    );
    await expect.poll(() => runs.length, WAIT).toBeGreaterThanOrEqual(total);
    // Every job is completed, so nothing more can run: the count is final.
    await expect
      .poll(async () => {
        const page = await admin.client.admin.jobs.list.query({ name: 'test.count', limit: 100 });
        return page.items.every((job) => job.state === 'completed');
      }, WAIT)
      .toBe(true);
    expect(runs).toHaveLength(total);
    expect(new Set(runs.map((run) => run.id)).size).toBe(total);
  });

  it('enqueues in a transaction: a rolled-back send leaves no job', async () => {
    let id: string | null = null;
    await expect(
      a.deps.db.transaction().execute(async (trx) => {
        id = await a.deps.jobs.send(countJob, { n: -1 }, { db: trx });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(id).not.toBeNull();
    await expectPhoenixError(admin.client.admin.jobs.get.query({ id: id ?? '' }), {
      code: 'NOT_FOUND',
    });
  });

  it('refuses a queue name Postgres cannot store (a NUL) as bad input, naming the field', async () => {
    await expectPhoenixError(admin.client.admin.jobs.list.query({ name: 'test\u0000count' }), {
      code: 'BAD_REQUEST',
      field: 'name',
    });
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const id = await a.deps.jobs.send(flakyJob, {});
    expect(id).not.toBeNull();
    await expect.poll(() => jobState(id ?? ''), WAIT).toBe('completed');
    const job = await admin.client.admin.jobs.get.query({ id: id ?? '' });
    expect(job.retryCount).toBe(2);
    expect(attempts).toHaveLength(3);
    // The backoff is pg-boss's to keep (a delay that doubles with jitter): the job carries it.
    const { rows } = await sql<{ retryDelay: number; retryBackoff: boolean }>`
      select retry_delay, retry_backoff from ${sql.table(`${a.deps.jobs.schema}.job`)}
      where id = ${id}::uuid`.execute(a.deps.db);
    expect(rows[0]).toEqual({ retryDelay: 1, retryBackoff: true });
  });

  it('dead-letters a job that always fails; admin.jobs.retry revives it, audited', async () => {
    const id = (await a.deps.jobs.send(brokenJob, {})) ?? '';
    await expect.poll(() => jobState(id), WAIT).toBe('failed');
    const dead = await admin.client.admin.jobs.list.query({ state: 'failed', name: 'test.broken' });
    expect(dead.items.map((job) => job.id)).toContain(id);
    const failed = await admin.client.admin.jobs.get.query({ id });
    expect(failed.output).toMatchObject({ message: 'always fails' });

    healed = true;
    const revived = await admin.client.admin.jobs.retry.mutate({ id });
    expect(['retry', 'active', 'completed']).toContain(revived.state);
    await expect.poll(() => jobState(id), WAIT).toBe('completed');
    const audit = await auditRowsFor(a, id);
    expect(audit).toMatchObject([
      { action: 'admin.jobs.retry', resourceType: 'job', adminId: admin.id },
    ]);
    // Only a dead-lettered job can be revived.
    await expectPhoenixError(admin.client.admin.jobs.retry.mutate({ id }), {
      code: 'CONFLICT',
      reason: 'JOB_NOT_FAILED',
    });
  });

  it('sends a job that failed for good to its dead-letter kind, once, with its last error', async () => {
    const id = (await a.deps.jobs.send(doomedJob, { n: 7 })) ?? '';
    await expect.poll(() => buried.length, WAIT).toBe(1);
    expect(buried[0]?.payload).toEqual({ n: 7 });
    expect(buried[0]?.run.failed).toEqual({ name: 'test.doomed', error: 'doomed 7, attempt 2' });
    expect(await admin.client.admin.jobs.get.query({ id })).toMatchObject({
      state: 'failed',
      retryCount: 1,
    });
    // Its copy completed: nothing runs it again.
    const copies = await admin.client.admin.jobs.list.query({ name: 'test.buried' });
    expect(copies.items.map((job) => job.state)).toEqual(['completed']);
  });

  it('pages the list and refuses a forged cursor', async () => {
    await expectPhoenixError(
      admin.client.admin.jobs.list.query({ name: 'test.count', limit: 150 }),
      { code: 'BAD_REQUEST' },
    );
    const page1 = await admin.client.admin.jobs.list.query({ name: 'test.count', limit: 50 });
    const page2 = await admin.client.admin.jobs.list.query({
      name: 'test.count',
      limit: 50,
      cursor: page1.nextCursor ?? '',
    });
    const ids = new Set([...page1.items, ...page2.items].map((job) => job.id));
    expect(ids.size).toBe(100);
    await expectPhoenixError(admin.client.admin.jobs.list.query({ cursor: 'not-a-cursor' }), {
      code: 'BAD_REQUEST',
    });
  });
});

describe('scheduled jobs', () => {
  it('run once per cluster even with two workers checking the cron', async () => {
    await expect.poll(() => ticks.length, WAIT).toBeGreaterThanOrEqual(1);
    const boss = a.deps.jobs.boss();
    const firstTick = Date.now();
    // Let both workers check the cron several more times (every second in tests).
    await expect
      .poll(async () => {
        const [version] = await boss
          .getDb()
          .executeSql(
            `select extract(epoch from cron_on) * 1000 as at from ${a.deps.jobs.schema}.version`,
          )
          .then((result) => result.rows as { at: number }[]);
        return Number(version?.at ?? 0) > firstTick + 3_000;
      }, WAIT)
      .toBe(true);
    const sent = await boss.findJobs('test.tick');
    const perMinute = new Map<string, number>();
    for (const job of sent) {
      const minute = new Date(job.createdOn).toISOString().slice(0, 16);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect([...perMinute.values()].every((count) => count === 1)).toBe(true);
    // The hub's own sweeps are scheduled the same way.
    const schedules = (await boss.getSchedules()).map((schedule) => schedule.name);
    expect(schedules).toEqual(
      expect.arrayContaining([
        'auth.sweep-sessions',
        'gateway.refund-abandoned',
        'admin.audit-retention',
      ]),
    );
  });
});
