import { createSessionManager, SESSION_CHANGES_CHANNEL } from '@phoenix/auth';
import type { Kv } from '@phoenix/kv';
import { createTestKv } from '@phoenix/kv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../testing/fault-proxy.ts';
import { expectPhoenixError, type ServerPair, startServerPair } from '../../testing/index.ts';
import { nextMessage } from '../../testing/next-message.ts';

/**
 * Sessions, like API keys, are validated from each process's memory once seen. Two servers
 * on one database and kv stand for two processes behind a balancer: a session ended or a
 * user changed through one must be refused (or seen changed) by the other as soon as the
 * change message reached it, not after the cache's TTL.
 */

const PASSWORD = 'correct horse battery staple';
let pair: ServerPair;
let counter = 0;

beforeAll(async () => {
  // A TTL far beyond the test: only the change message can make the second server forget.
  pair = await startServerPair({ SESSION_CACHE_TTL_SECONDS: '3600' });
});
afterAll(() => pair.close());

async function registered(label: string) {
  const email = `${label}-${++counter}-${Date.now()}@example.com`;
  const grant = await pair.first
    .client()
    .auth.register.mutate({ email, password: PASSWORD, displayName: label });
  return { ...grant, email, onFirst: pair.first.client(grant.token) };
}

async function signedInAgain(email: string) {
  const { token } = await pair.first.client().auth.login.mutate({ email, password: PASSWORD });
  return token;
}

const nextChange = () => nextMessage(pair.first.kv, SESSION_CHANGES_CHANNEL);

/**
 * Resolves once every subscription asked for on `kv` so far is confirmed: a SUBSCRIBE's
 * answer comes after those of the ones sent before it on the same connection.
 */
async function subscriptionsConfirmed(kv: Kv) {
  const unsubscribe = await kv.subscribe(SESSION_CHANGES_CHANNEL, ignore);
  await unsubscribe();
}
const ignore = () => {};

/**
 * The first validation subscribes the second server's cache; once that is confirmed the
 * next one is read and cached, and the ones after are served from memory.
 */
async function warm(token: string) {
  const client = pair.second.client(token);
  await client.auth.me.query();
  await subscriptionsConfirmed(pair.second.kv);
  await client.auth.me.query();
  return client;
}

describe('sessions cached per process', () => {
  it('serves a seen session from memory: a row deleted behind the hub still answers', async () => {
    // Why every change goes through the session manager: the cache trusts what it saw.
    const user = await registered('cached');
    const onSecond = await warm(user.token);
    await pair.first.deps.db.deleteFrom('sessions').where('userId', '=', user.user.id).execute();
    expect((await onSecond.auth.me.query()).id).toBe(user.user.id);
    // The first server never validated this token (registering issues it unread): it
    // reads the database and refuses it.
    await expectPhoenixError(pair.first.client(user.token).auth.me.query(), {
      code: 'UNAUTHORIZED',
    });
  });

  it('a session signed out on one server is refused by the other on its next request', async () => {
    const user = await registered('signout');
    const onSecond = await warm(user.token);
    const delivered = await nextChange();
    await user.onFirst.auth.logout.mutate();
    expect(await delivered()).toEqual({ id: user.token.split('.')[0] });
    await expectPhoenixError(onSecond.auth.me.query(), {
      code: 'UNAUTHORIZED',
      reason: 'UNAUTHENTICATED',
    });
  });

  it('a session revoked from another device is refused on the other server', async () => {
    const user = await registered('revoked');
    const laptop = await signedInAgain(user.email);
    const laptopOnSecond = await warm(laptop);
    const sessions = await user.onFirst.auth.sessions.list.query();
    const target = sessions.find((s) => !s.current);
    expect(target).toBeDefined();
    const delivered = await nextChange();
    await user.onFirst.auth.sessions.revoke.mutate({ sessionId: target?.id ?? '' });
    await delivered();
    await expectPhoenixError(laptopOnSecond.auth.me.query(), { code: 'UNAUTHORIZED' });
    // The session that revoked it goes on.
    expect((await pair.second.client(user.token).auth.me.query()).id).toBe(user.user.id);
  });

  it('a password change ends the other sessions everywhere and keeps the current one', async () => {
    const user = await registered('password');
    const phone = await signedInAgain(user.email);
    const phoneOnSecond = await warm(phone);
    const currentOnSecond = await warm(user.token);
    const delivered = await nextChange();
    const { otherSessionsRevoked } = await user.onFirst.auth.changePassword.mutate({
      currentPassword: PASSWORD,
      newPassword: 'another horse battery staple',
    });
    expect(otherSessionsRevoked).toBe(1);
    expect(await delivered()).toEqual({ userId: user.user.id });
    await expectPhoenixError(phoneOnSecond.auth.me.query(), { code: 'UNAUTHORIZED' });
    expect((await currentOnSecond.auth.me.query()).id).toBe(user.user.id);
  });

  it('a demoted administrator loses the back office on the other server at once', async () => {
    const root = await registered('root');
    const demoted = await registered('demoted');
    await pair.first.deps.db
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', 'in', [root.user.id, demoted.user.id])
      .execute();
    const demotedOnSecond = await warm(demoted.token);
    await demotedOnSecond.admin.users.list.query({ limit: 1 });

    const demotion = await nextChange();
    await root.onFirst.admin.users.update.mutate({ userId: demoted.user.id, role: 'user' });
    expect(await demotion()).toEqual({ userId: demoted.user.id });
    await expectPhoenixError(demotedOnSecond.admin.users.list.query({ limit: 1 }), {
      code: 'FORBIDDEN',
      reason: 'ADMIN_ONLY',
    });

    const target = await registered('deactivated');
    const targetOnSecond = await warm(target.token);
    const deactivation = await nextChange();
    await root.onFirst.admin.users.update.mutate({ userId: target.user.id, active: false });
    await deactivation();
    await expectPhoenixError(targetOnSecond.auth.me.query(), { code: 'UNAUTHORIZED' });
  });

  it('a profile change on one server is what the other answers for the session', async () => {
    const user = await registered('zoned');
    const onSecond = await warm(user.token);
    const changed = await nextChange();
    await user.onFirst.auth.updateProfile.mutate({ timeZone: 'Asia/Tokyo' });
    await changed();
    expect((await onSecond.auth.me.query()).timeZone).toBe('Asia/Tokyo');
    const cached = await pair.second.deps.auth.sessions.validate(user.token);
    expect(cached?.user.timeZone).toBe('Asia/Tokyo');
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)(
  'a subscriber that lost its connection (TCP fault proxy before Redis)',
  () => {
    it('empties the cache: a session deleted while messages could not arrive is refused', async () => {
      const redisUrl = process.env.TEST_REDIS_URL ?? '';
      await using proxy = await startFaultProxy(redisUrl);
      await using kv = createTestKv({
        url: proxy.url,
        timeouts: { connectMs: 1_000, commandMs: 1_000 },
      });
      const sessions = createSessionManager(
        pair.first.deps.db,
        { idleTimeoutMs: 3_600_000, absoluteLifetimeMs: 86_400_000, touchIntervalMs: 3_600_000 },
        { kv, ttlMs: 3_600_000, maxEntries: 100 },
      );
      const user = await registered('gap');
      const { token, session } = await sessions.create(user.user.id, { ip: null, userAgent: null });
      // Once to subscribe, once (confirmed) to fill the cache; then served from it.
      expect(await sessions.validate(token)).not.toBeNull();
      await subscriptionsConfirmed(kv);
      expect(await sessions.validate(token)).not.toBeNull();
      await pair.first.deps.db.deleteFrom('sessions').where('id', '=', session.id).execute();
      expect(await sessions.validate(token)).not.toBeNull();

      const gap = new Promise<void>((resolve) => kv.onSubscriptionGap(resolve));
      proxy.resetAll();
      await gap;
      // Whatever was published meanwhile is lost: nothing cached before the gap answers.
      expect(await sessions.validate(token)).toBeNull();
    });
  },
);
