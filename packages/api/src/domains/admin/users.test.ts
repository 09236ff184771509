import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsFor,
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'boss', role: 'admin' });
});
afterAll(() => server.close());

describe('admin.users.list', () => {
  it('searches, filters, sorts and pages without gaps or repeats', async () => {
    const tag = `zq${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await signUp(server, { label: `${tag}-${i}` }));
    await server.deps.db
      .updateTable('users')
      .set({ tier: 'PREMIUM' })
      .where('id', '=', made[1]?.id ?? '')
      .execute();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.client.admin.users.list.query({
        search: tag,
        sortBy: 'email',
        order: 'asc',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((m) => m.email).sort());

    const premium = await admin.client.admin.users.list.query({ search: tag, tier: 'PREMIUM' });
    expect(premium.items.map((u) => u.id)).toEqual([made[1]?.id]);

    const newest = await admin.client.admin.users.list.query({ search: tag, limit: 1 });
    expect(newest.items[0]?.id).toBe(made[4]?.id);
    await expectPhoenixError(
      admin.client.admin.users.list.query({
        search: tag,
        sortBy: 'email',
        ...(newest.nextCursor ? { cursor: newest.nextCursor } : {}),
      }),
      { code: 'BAD_REQUEST', reason: 'BAD_CURSOR' },
    );
  });
});

describe('admin.users.get', () => {
  it('returns the user with an activity summary', async () => {
    const u = await signUp(server, { label: 'detail' });
    await server
      .client()
      .auth.login.mutate({ email: u.email, password: 'correct horse battery staple' });
    await u.client.auth.apiKeys.create.mutate({ name: 'k', scopes: ['read'] });
    const detail = await admin.client.admin.users.get.query({ userId: u.id });
    expect(detail).toMatchObject({ id: u.id, email: u.email, activeSessions: 2, activeApiKeys: 1 });
    expect(detail.activity.totalEvents).toBeGreaterThanOrEqual(2);
    expect(detail.activity.topActionsLast30Days.map((a) => a.action)).toContain('auth.login');
    expect(detail.activity.lastActivityAt).toBeInstanceOf(Date);
    await expectPhoenixError(
      admin.client.admin.users.get.query({ userId: '00000000-0000-4000-8000-000000000000' }),
      { code: 'NOT_FOUND' },
    );
  });
});

describe('admin.users.update', () => {
  it('changes tier and role with an audit row holding old and new values', async () => {
    const u = await signUp(server, { label: 'promote' });
    const out = await admin.client.admin.users.update.mutate({
      userId: u.id,
      tier: 'PREMIUM',
      role: 'admin',
    });
    expect(out.user).toMatchObject({ tier: 'PREMIUM', role: 'admin', active: true });
    const rows = await auditRowsFor(server, u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminId: admin.id,
      adminEmail: admin.email,
      action: 'admin.users.update',
      resourceType: 'user',
      oldValue: { role: 'user', tier: 'FREE', active: true },
      newValue: { role: 'admin', tier: 'PREMIUM', active: true },
      ip: '127.0.0.1',
    });
    expect(rows[0]?.userAgent).toBeTruthy();
    expect(rows[0]?.requestId).toBeTruthy();
  });

  it('deactivation revokes every session and API key', async () => {
    const u = await signUp(server, { label: 'deact' });
    const { secret } = await u.client.auth.apiKeys.create.mutate({ name: 'k', scopes: ['read'] });
    const out = await admin.client.admin.users.update.mutate({ userId: u.id, active: false });
    expect(out).toMatchObject({ sessionsRevoked: 1, apiKeysRevoked: 1, user: { active: false } });
    await expectPhoenixError(u.client.auth.me.query(), { code: 'UNAUTHORIZED' });
    await expectPhoenixError(server.client(secret).auth.me.query(), { code: 'UNAUTHORIZED' });
    const rows = await auditRowsFor(server, u.id);
    expect(rows.map((r) => r.resourceType)).toEqual(['user', 'user.credentials']);
    expect(rows[1]?.newValue).toEqual({ sessionsRevoked: 1, apiKeysRevoked: 1 });
  });

  it('refuses to let an admin lock themselves out, and writes nothing', async () => {
    await expectPhoenixError(
      admin.client.admin.users.update.mutate({ userId: admin.id, active: false }),
      {
        code: 'FORBIDDEN',
        reason: 'SELF_LOCKOUT',
      },
    );
    expect(await auditRowsFor(server, admin.id)).toEqual([]);
  });

  it('rolls the audit row back with the write when the write fails', async () => {
    await expectPhoenixError(
      admin.client.admin.users.update.mutate({
        userId: '00000000-0000-4000-8000-000000000000',
        tier: 'PREMIUM',
      }),
      { code: 'NOT_FOUND' },
    );
    expect(await auditRowsFor(server, '00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
});

describe('admin.users.churnRisk and activity', () => {
  it('lists users active before but quiet for N days', async () => {
    const quiet = await signUp(server, { label: 'quiet' });
    const busy = await signUp(server, { label: 'busy' });
    // Push all of quiet's activity 20 days back; busy stays active today.
    await sql`update activity_events set created_at = now() - interval '20 days' where user_id = ${quiet.id}`.execute(
      server.deps.db,
    );
    const { items } = await admin.client.admin.users.churnRisk.query({ inactiveDays: 14 });
    const ids = items.map((i) => i.id);
    expect(ids).toContain(quiet.id);
    expect(ids).not.toContain(busy.id);

    const activity = await admin.client.admin.users.activity.query({ userId: busy.id, limit: 1 });
    expect(activity.items[0]?.action).toBe('auth.register');
  });
});
