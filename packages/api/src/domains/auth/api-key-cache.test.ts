import { API_KEY_CHANGES_CHANNEL } from '@phoenix/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, type ServerPair, startServerPair } from '../../testing/index.ts';
import { nextMessage } from '../../testing/next-message.ts';

/**
 * API keys are validated from each process's memory once seen. Two servers on one database
 * and kv stand for two processes behind a balancer: a change made through one must be
 * refused by the other as soon as the change message reached it, not after the cache's TTL.
 */

const PASSWORD = 'correct horse battery staple';
let pair: ServerPair;
let counter = 0;

beforeAll(async () => {
  // A TTL far beyond the test: only the change message can make the second server forget.
  pair = await startServerPair({ API_KEY_CACHE_TTL_SECONDS: '3600' });
});
afterAll(() => pair.close());

async function registered(label: string) {
  const email = `${label}-${++counter}-${Date.now()}@example.com`;
  const grant = await pair.first
    .client()
    .auth.register.mutate({ email, password: PASSWORD, displayName: label });
  return { ...grant, session: pair.first.client(grant.token) };
}

async function admin(label: string) {
  const user = await registered(label);
  await pair.first.deps.db
    .updateTable('users')
    .set({ role: 'admin' })
    .where('id', '=', user.user.id)
    .execute();
  return user;
}

const nextChange = () => nextMessage(pair.first.kv, API_KEY_CHANGES_CHANNEL);

describe('API keys cached per process', () => {
  it('a key revoked on one server is refused by the other on its next request', async () => {
    const owner = await registered('revoker');
    const { secret, key } = await owner.session.auth.apiKeys.create.mutate({
      name: 'ci',
      scopes: ['read'],
    });
    const onSecond = pair.second.client(secret);
    // Twice: the first validation subscribes the cache, the second is served from it.
    expect((await onSecond.auth.me.query()).id).toBe(owner.user.id);
    expect((await onSecond.auth.me.query()).id).toBe(owner.user.id);

    const delivered = await nextChange();
    await owner.session.auth.apiKeys.revoke.mutate({ keyId: key.id });
    expect(await delivered()).toEqual({ id: key.id });
    await expectPhoenixError(onSecond.auth.me.query(), {
      code: 'UNAUTHORIZED',
      reason: 'UNAUTHENTICATED',
    });
    // And the server that revoked it refuses it too, with no message needed.
    await expectPhoenixError(pair.first.client(secret).auth.me.query(), {
      code: 'UNAUTHORIZED',
    });
  });

  it('a user deactivated or demoted on one server loses the key on the other', async () => {
    const root = await admin('root');
    const demoted = await admin('demoted');
    const deactivated = await registered('deactivated');
    const adminKey = await demoted.session.auth.apiKeys.create.mutate({
      name: 'ops',
      scopes: ['admin'],
    });
    const userKey = await deactivated.session.auth.apiKeys.create.mutate({
      name: 'script',
      scopes: ['read'],
    });
    const adminOnSecond = pair.second.client(adminKey.secret);
    const userOnSecond = pair.second.client(userKey.secret);
    for (let i = 0; i < 2; i++) {
      await adminOnSecond.admin.users.list.query({ limit: 1 });
      await userOnSecond.auth.me.query();
    }

    const demotion = await nextChange();
    await root.session.admin.users.update.mutate({ userId: demoted.user.id, role: 'user' });
    expect(await demotion()).toEqual({ userId: demoted.user.id });
    await expectPhoenixError(adminOnSecond.admin.users.list.query({ limit: 1 }), {
      code: 'FORBIDDEN',
      reason: 'ADMIN_ONLY',
    });

    const deactivation = await nextChange();
    await root.session.admin.users.update.mutate({ userId: deactivated.user.id, active: false });
    await deactivation();
    await expectPhoenixError(userOnSecond.auth.me.query(), { code: 'UNAUTHORIZED' });
  });

  it('a profile change made on one server is what the other answers for the key', async () => {
    const owner = await registered('zoned');
    const { secret } = await owner.session.auth.apiKeys.create.mutate({
      name: 'sync',
      scopes: ['read'],
    });
    const onSecond = pair.second.client(secret);
    await onSecond.auth.me.query();
    await onSecond.auth.me.query();

    const changed = await nextChange();
    await owner.session.auth.updateProfile.mutate({ timeZone: 'Asia/Tokyo' });
    await changed();
    const cached = await pair.second.deps.auth.apiKeys.validate(secret);
    expect(cached?.user.timeZone).toBe('Asia/Tokyo');
  });
});
