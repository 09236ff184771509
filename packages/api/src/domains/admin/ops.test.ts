import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../platform/alerts.ts';
import { errorFingerprint, normalizeMessage } from '../../platform/error-log/fingerprint.ts';
import {
  auditRowsFor,
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'ops', role: 'admin' });
});
afterAll(() => server.close());

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

describe('error log', () => {
  it('groups repeats by fingerprint regardless of ids and numbers', () => {
    expect(
      normalizeMessage('user 3f1c2a9e-0000-4000-8000-00000000abcd failed after 12 tries'),
    ).toBe('user <id> failed after <n> tries');
    expect(errorFingerprint('E', 'row 1 missing', 'a.b')).toBe(
      errorFingerprint('E', 'row 22 missing', 'a.b'),
    );
    expect(errorFingerprint('E', 'row 1 missing', 'a.b')).not.toBe(
      errorFingerprint('E', 'row 1 missing', 'a.c'),
    );
  });

  it('captures unhandled errors from procedures, raises one alert, and resolves with a note', async () => {
    const db = server.deps.db;
    const u = await signUp(server, { label: 'broken' });
    await sql`alter table admin_user_notes rename to admin_user_notes_away`.execute(db);
    try {
      for (let i = 0; i < 2; i++) {
        await expectPhoenixError(admin.client.admin.notes.list.query({ userId: u.id }), {
          code: 'INTERNAL_SERVER_ERROR',
        });
      }
    } finally {
      await sql`alter table admin_user_notes_away rename to admin_user_notes`.execute(db);
    }
    const open = await eventually(
      () => admin.client.admin.errors.list.query({ status: 'open' }),
      (page) => page.items.some((e) => e.path === 'admin.notes.list' && e.count === 2),
    );
    const group = open.items.find((e) => e.path === 'admin.notes.list');
    expect(group?.lastRequestId).toBeTruthy();
    expect(group?.message).not.toMatch(/at .*\.ts/);
    const detail = await admin.client.admin.errors.get.query({ errorId: group?.id ?? '' });
    expect(detail.recentOccurrences).toHaveLength(2);

    const alerts = await admin.client.admin.alerts.list.query({ status: 'unread' });
    expect(
      alerts.items.filter((a) => a.kind === 'error.new' && a.title.includes('admin.notes.list')),
    ).toHaveLength(1);

    const perDay = await admin.client.admin.stats.errorsPerDay.query({
      from: new Date(Date.now() - DAY),
      to: new Date(Date.now() + DAY),
    });
    expect(perDay.reduce((n, d) => n + d.occurrences, 0)).toBeGreaterThanOrEqual(2);

    const resolved = await admin.client.admin.errors.resolve.mutate({
      errorId: group?.id ?? '',
      note: 'table was renamed by a test',
    });
    expect(resolved).toMatchObject({
      resolvedBy: admin.id,
      resolutionNote: 'table was renamed by a test',
    });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    const [row] = await auditRowsFor(server, group?.id ?? '');
    expect(row).toMatchObject({
      action: 'admin.errors.resolve',
      oldValue: { resolvedAt: null, resolutionNote: null },
      newValue: { resolutionNote: 'table was renamed by a test' },
    });
    const stillOpen = await admin.client.admin.errors.list.query({ status: 'open' });
    expect(stillOpen.items.map((e) => e.id)).not.toContain(group?.id);
  });
});

describe('alerts', () => {
  it('raises once per dedupe key; mark read, dismiss, mark all read are audited', async () => {
    const db = server.deps.db;
    expect(
      await raiseAlert(db, { kind: 't', severity: 'info', title: 'one', dedupeKey: 'k1' }),
    ).toBe(true);
    expect(
      await raiseAlert(db, { kind: 't', severity: 'info', title: 'one', dedupeKey: 'k1' }),
    ).toBe(false);
    await raiseAlert(db, { kind: 't', severity: 'critical', title: 'two' });
    await raiseAlert(db, { kind: 't', severity: 'warning', title: 'three' });
    // PGlite's clock can give all three the same millisecond; spread them so "newest first" is defined.
    for (const [title, secondsAgo] of [
      ['one', 3],
      ['two', 2],
      ['three', 1],
    ] as const) {
      await db
        .updateTable('adminAlerts')
        .set({ createdAt: sql`now() - make_interval(secs => ${secondsAgo})` })
        .where('kind', '=', 't')
        .where('title', '=', title)
        .execute();
    }
    const unread = await admin.client.admin.alerts.list.query({ status: 'unread' });
    const mine = unread.items.filter((a) => a.kind === 't');
    expect(mine.map((a) => a.title)).toEqual(['three', 'two', 'one']);
    const [three, two] = mine;

    const read = await admin.client.admin.alerts.markRead.mutate({ alertId: three?.id ?? '' });
    expect(read.readAt).toBeInstanceOf(Date);
    const dismissed = await admin.client.admin.alerts.dismiss.mutate({ alertId: two?.id ?? '' });
    expect(dismissed.dismissedAt).toBeInstanceOf(Date);
    const active = await admin.client.admin.alerts.list.query({ status: 'active', limit: 1 });
    expect(active.nextCursor).not.toBeNull();
    const afterOne = await admin.client.admin.alerts.list.query({
      status: 'active',
      limit: 100,
      cursor: active.nextCursor ?? '',
    });
    expect([...active.items, ...afterOne.items].map((a) => a.id)).not.toContain(two?.id);

    const all = await admin.client.admin.alerts.markAllRead.mutate();
    expect(all.updated).toBeGreaterThanOrEqual(1);
    expect((await admin.client.admin.alerts.list.query({ status: 'unread' })).unreadCount).toBe(0);

    expect((await auditRowsFor(server, three?.id ?? ''))[0]).toMatchObject({
      action: 'admin.alerts.markRead',
      oldValue: { readAt: null },
    });
    expect((await auditRowsFor(server, two?.id ?? ''))[0]).toMatchObject({
      action: 'admin.alerts.dismiss',
    });
    const markAll = await admin.client.admin.audit.list.query({
      action: 'admin.alerts.markAllRead',
    });
    expect(markAll.items[0]?.newValue).toEqual({ markedRead: all.updated });
    await expectPhoenixError(
      admin.client.admin.alerts.markRead.mutate({
        alertId: '00000000-0000-4000-8000-000000000000',
      }),
      { code: 'NOT_FOUND' },
    );
  });
});

describe('stats', () => {
  it('dashboard, activity per day and the funnel', async () => {
    const db = server.deps.db;
    // The database's clock, not ours: PGlite's may run a little apart from Node's.
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
    const from = rows[0]?.now ?? new Date();
    const a = await signUp(server, { label: 'funnel-a' });
    const b = await signUp(server, { label: 'funnel-b' });
    await db
      .insertInto('activityEvents')
      .values([
        { userId: a.id, action: 'rise.kaizen.completed' },
        { userId: a.id, action: 'aube.diagnostic.completed' },
        { userId: b.id, action: 'rise.zazen.completed' },
      ])
      .execute();
    // b registered 10 days ago and came back today.
    await sql`update users set created_at = now() - interval '10 days' where id = ${b.id}`.execute(
      db,
    );

    const funnel = await admin.client.admin.stats.funnel.query({
      from,
      to: new Date(Date.now() + 60_000),
    });
    expect(funnel).toMatchObject({
      registered: 1,
      firstDomainAction: 1,
      firstDiagnosticCompleted: 1,
      activeAgainAfter7Days: 0,
    });
    const wide = await admin.client.admin.stats.funnel.query({
      from: new Date(Date.now() - 11 * DAY),
      to: new Date(Date.now() + 60_000),
    });
    expect(wide.activeAgainAfter7Days).toBeGreaterThanOrEqual(1);
    expect(wide.registered).toBeGreaterThanOrEqual(2);

    const dash = await admin.client.admin.stats.dashboard.query({ periodDays: 30 });
    expect(dash.users.total).toBeGreaterThanOrEqual(3);
    expect(dash.users.admins).toBeGreaterThanOrEqual(1);
    expect(dash.activeUsers.dau).toBeGreaterThanOrEqual(3);
    expect(dash.activeUsers.mau).toBeGreaterThanOrEqual(dash.activeUsers.dau);
    expect(dash.activeSessions).toBeGreaterThanOrEqual(3);

    const days = await admin.client.admin.stats.activityPerDay.query({
      from: new Date(Date.now() - 2 * DAY),
      to: new Date(),
    });
    expect(days.length).toBeGreaterThanOrEqual(2);
    const today = days.at(-1);
    expect(today?.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today?.events).toBeGreaterThanOrEqual(6);
    expect(days[0]?.events).toBe(0);

    await expectPhoenixError(
      admin.client.admin.stats.funnel.query({
        from: new Date(Date.now() - 400 * DAY),
        to: new Date(),
      }),
      { code: 'BAD_REQUEST', field: 'to' },
    );
  });
});
