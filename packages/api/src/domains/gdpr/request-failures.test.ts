import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  type SignedUp,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';
import { erasureDueJob } from './erasure.service.ts';
import { until } from './testing.ts';

let server: TestServer;
let admin: SignedUp;
let user: SignedUp;

beforeAll(async () => {
  // One retry after the first attempt (a second apart): the export fails for good quickly.
  server = await startAdminTestServer({ worker: true, env: { JOBS_RETRY_LIMIT: '1' } });
  admin = await signUp(server, { label: 'gdpr-fail-admin', role: 'admin' });
  user = await signUp(server, { label: 'gdpr-fail-user' });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const exportOf = async (id: string) =>
  (await user.client.gdpr.export.list.query()).items.find((i) => i.id === id);

describe('a GDPR export that fails for good', () => {
  it('ends failed after its last retry, with a reason the user and the admin see; the user can ask again', async () => {
    // A file stands where the user's exports folder goes: every attempt fails in storage.
    const folder = join(server.deps.config.storage.dir, 'gdpr', 'exports');
    await mkdir(folder, { recursive: true });
    const blocker = join(folder, user.id);
    await writeFile(blocker, 'not a folder');

    const requested = await user.client.gdpr.export.request.mutate();
    expect(requested).toMatchObject({ status: 'pending', failureReason: null });
    const failed = await until(async () => {
      const item = await exportOf(requested.id);
      return item?.status === 'failed' ? item : null;
    }, 'the export to fail');
    expect(failed.failureReason).toMatch(/could not be prepared.*ask for a new one/i);
    // The user is told, not left waiting for a link that will not come.
    const email = await until(
      () =>
        server.deps.db
          .selectFrom('emailLogs')
          .select(['trigger', 'toEmail'])
          .where('userId', '=', user.id)
          .where('trigger', '=', 'gdpr_export_failed')
          .executeTakeFirst(),
      'the failed-export email',
    );
    expect(email.toEmail).toBe(user.email);
    expect(failed.completedAt).toBeInstanceOf(Date);
    expect(failed.expiresAt).toBeNull();

    // Both attempts ran before it was given up: pg-boss holds the job failed after one retry.
    const jobs = await admin.client.admin.jobs.list.query({ name: 'gdpr.export' });
    const job = jobs.items.find((j) => j.state === 'failed');
    expect(job).toMatchObject({ retryCount: 1, retryLimit: 1 });
    const detail = await admin.client.admin.jobs.get.query({ id: job?.id ?? '' });
    expect(detail.data).toEqual({ requestId: requested.id });

    // The admin sees the reason and the error itself.
    const page = await admin.client.admin.gdpr.requests.list.query({
      kind: 'export',
      status: 'failed',
    });
    const row = page.items.find((i) => i.id === requested.id);
    expect(row?.report).toEqual({
      failure: { reason: failed.failureReason, error: expect.stringContaining(user.id) },
    });
    await expectPhoenixError(user.client.gdpr.export.download.query({ id: requested.id }), {
      code: 'BAD_REQUEST',
      reason: 'EXPORT_NOT_READY',
    });

    // Storage works again: a new request is taken and completes.
    await rm(blocker);
    const again = await user.client.gdpr.export.request.mutate();
    expect(again.id).not.toBe(requested.id);
    const ready = await until(async () => {
      const item = await exportOf(again.id);
      return item?.status === 'ready' ? item : null;
    }, 'the new export');
    expect(ready.failureReason).toBeNull();
    expect(
      await server.deps.storage.stat(`gdpr/exports/${user.id}/${again.id}.zip`),
    ).not.toBeNull();
    expect((await exportOf(requested.id))?.status).toBe('failed');
  });

  it('a request left unfinished for a day (its job lost) no longer blocks a new one', async () => {
    const stuck = await signUp(server, { label: 'gdpr-stuck-user' });
    const dayAgo = new Date(server.deps.clock.now() - 25 * 3_600_000);
    const old = await server.deps.db
      .insertInto('gdprRequests')
      .values({
        userId: stuck.id,
        kind: 'export',
        status: 'running',
        requestedBy: 'user',
        createdAt: dayAgo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const recent = await stuck.client.gdpr.export.request.mutate();
    expect(recent.id).not.toBe(old.id);
    const items = (await stuck.client.gdpr.export.list.query()).items;
    expect(items.find((i) => i.id === old.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/could not be prepared/),
    });
    // One that is only minutes old still blocks: it may well finish.
    await expectPhoenixError(stuck.client.gdpr.export.request.mutate(), {
      code: 'CONFLICT',
      reason: 'EXPORT_IN_PROGRESS',
    });
  });
});

describe('a GDPR erasure that fails for good', () => {
  it('stays scheduled, tells the administrators once, and completes when tried again', async () => {
    const victim = await signUp(server, { label: 'gdpr-erase-fail' });
    const { db } = server.deps;
    // The database itself refuses to delete this user: every attempt fails in its transaction.
    await sql`create function refuse_erasure() returns trigger language plpgsql as $$
      begin
        if old.id = ${sql.lit(victim.id)} then raise exception 'erasure refused by the test'; end if;
        return old;
      end $$`.execute(db);
    await sql`create trigger refuse_erasure before delete on users for each row execute function refuse_erasure()`.execute(
      db,
    );
    const request = await admin.client.admin.gdpr.erasure.request.mutate({
      userId: victim.id,
      immediate: true,
    });
    const alert = await until(
      () =>
        db
          .selectFrom('adminAlerts')
          .select(['kind', 'severity', 'body'])
          .where('dedupeKey', '=', `gdpr.erasure-failed:${request.id}`)
          .executeTakeFirst(),
      'the erasure alert',
    );
    expect(alert).toMatchObject({ kind: 'gdpr.erasure-failed', severity: 'critical' });
    expect(alert.body).toContain('erasure refused by the test');
    const page = await admin.client.admin.gdpr.requests.list.query({ kind: 'erasure' });
    expect(page.items.find((i) => i.id === request.id)?.status).toBe('scheduled');

    // Fixed: the hourly sweep starts it again, and it completes.
    await sql`drop trigger refuse_erasure on users`.execute(db);
    await server.deps.jobs.send(erasureDueJob, {});
    await until(async () => {
      const next = await admin.client.admin.gdpr.requests.list.query({ kind: 'erasure' });
      return next.items.find((i) => i.id === request.id)?.status === 'completed';
    }, 'the erasure to complete');
  });
});
