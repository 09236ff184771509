import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  PASSWORD,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'activities-admin', role: 'admin' });
});
afterAll(() => server.close());

describe('admin.activities.list', () => {
  it('filters by user, action and period, newest first, in pages', async () => {
    const user = await signUp(server, { label: 'active' });
    await server.client().auth.login.mutate({ email: user.email, password: PASSWORD });
    await server.client().auth.login.mutate({ email: user.email, password: PASSWORD });
    const all = await admin.client.admin.activities.list.query({ userId: user.id });
    expect(all.items.map((a) => a.action)).toEqual(['auth.login', 'auth.login', 'auth.register']);
    const logins = await admin.client.admin.activities.list.query({
      userId: user.id,
      action: 'auth.login',
      limit: 1,
    });
    expect(logins.items).toHaveLength(1);
    const next = await admin.client.admin.activities.list.query({
      userId: user.id,
      action: 'auth.login',
      limit: 1,
      cursor: logins.nextCursor ?? '',
    });
    expect(next.items).toHaveLength(1);
    expect(next.items[0]?.id).toBeLessThan(logins.items[0]?.id ?? 0);
    const future = await admin.client.admin.activities.list.query({
      userId: user.id,
      from: new Date(Date.now() + 3_600_000),
    });
    expect(future.items).toEqual([]);
    await expectPhoenixError(user.client.admin.activities.list.query({}), { code: 'FORBIDDEN' });
  });
});

describe('administrator sessions', () => {
  it('end after ADMIN_SESSION_IDLE_MINUTES (30) unused; a user session of the same age lives on', async () => {
    const user = await signUp(server, { label: 'idle-user' });
    const idleAdmin = await signUp(server, { label: 'idle-admin', role: 'admin' });
    const longAgo = new Date(Date.now() - 31 * 60_000);
    for (const token of [user.token, idleAdmin.token]) {
      await server.deps.db
        .updateTable('sessions')
        .set({ lastUsedAt: longAgo })
        .where('id', '=', token.split('.')[0] ?? '')
        .execute();
    }
    // Time passed behind the hub's back: it is told, as after any change made outside it.
    for (const { id } of [user, idleAdmin]) await server.deps.auth.userChanged(id);
    await expect(user.client.auth.me.query()).resolves.toMatchObject({ id: user.id });
    await expectPhoenixError(idleAdmin.client.auth.me.query(), { code: 'UNAUTHORIZED' });
  });
});
