import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';

/** The reads the admin console added: sign-ups per day, a user's sessions and ledger. */
let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;
let user: Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'console-admin', role: 'admin' });
  user = await signUp(server, { label: 'console-user' });
});
afterAll(() => server.close());

describe('console reads', () => {
  it('counts sign-ups per UTC day, zero days included', async () => {
    const now = Date.now();
    const days = await admin.client.admin.stats.signupsPerDay.query({
      from: new Date(now - 3 * DAY),
      to: new Date(now + 1),
    });
    // Every UTC day the period touches, in order, today last.
    expect(days).toHaveLength(4);
    expect(days.at(-1)?.day).toBe(new Date(now).toISOString().slice(0, 10));
    expect(days.reduce((n, d) => n + d.signups, 0)).toBe(2);
    await expectPhoenixError(
      admin.client.admin.stats.signupsPerDay.query({ from: new Date(now), to: new Date(now - 1) }),
      { code: 'BAD_REQUEST' },
    );
  });

  it("lists a user's live sessions, without their tokens", async () => {
    const sessions = await admin.client.admin.users.sessions.query({ userId: user.id });
    expect(sessions).toHaveLength(1);
    expect(Object.keys(sessions[0] ?? {}).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent'].sort(),
    );
    expect(JSON.stringify(sessions)).not.toContain(user.token);
    await user.client.auth.logout.mutate();
    expect(await admin.client.admin.users.sessions.query({ userId: user.id })).toEqual([]);
  });

  it("pages through a user's ledger with the balance", async () => {
    for (const amount of [10, 20, 30]) {
      await admin.client.gateway.admin.grantCredits.mutate({
        userId: user.id,
        amount,
        note: `grant ${amount}`,
      });
    }
    const first = await admin.client.gateway.admin.ledger.query({ userId: user.id, limit: 2 });
    const balance = first.balance;
    expect(first.items.map((t) => t.note)).toEqual(['grant 30', 'grant 20']);
    expect(first.items[0]?.balanceAfter).toBe(balance);
    expect(first.nextBeforeId).not.toBeNull();
    const second = await admin.client.gateway.admin.ledger.query({
      userId: user.id,
      limit: 2,
      beforeId: first.nextBeforeId ?? undefined,
    });
    expect(second.items[0]?.note).toBe('grant 10');
    const other = await admin.client.gateway.admin.ledger.query({ userId: admin.id });
    expect(other.items.map((t) => t.note)).not.toContain('grant 10');
  });

  it('refuses non-administrators', async () => {
    const other = await signUp(server, { label: 'console-other' });
    await expectPhoenixError(other.client.gateway.admin.ledger.query({ userId: user.id }), {
      code: 'FORBIDDEN',
    });
    await expectPhoenixError(other.client.admin.users.sessions.query({ userId: user.id }), {
      code: 'FORBIDDEN',
    });
    await expectPhoenixError(
      other.client.admin.stats.signupsPerDay.query({
        from: new Date(Date.now() - DAY),
        to: new Date(),
      }),
      { code: 'FORBIDDEN' },
    );
  });
});
