import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  type ServerPair,
  startServerPair,
  startTestServer,
  type TestServer,
} from '../../testing/index.ts';

const PASSWORD = 'correct horse battery staple';
let pair: ServerPair;
let first: TestServer;
let second: TestServer;
let n = 0;
const email = (label: string) => `${label}-${++n}-${Date.now()}@example.com`;

const LIMITS = {
  AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES: '3',
  AUTH_LOGIN_LOCK_SECONDS: '2',
  AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: '50',
  AUTH_REGISTER_PER_IP_PER_HOUR: '40',
  AUTH_RESET_REQUESTS_PER_HOUR: '2',
};

beforeAll(async () => {
  pair = await startServerPair(LIMITS);
  ({ first, second } = pair);
});
afterAll(() => pair.close());

describe('brute-force protection', () => {
  it('locks login after consecutive failures across both instances, then releases it', async () => {
    const address = email('lock');
    await first
      .client()
      .auth.register.mutate({ email: address, password: PASSWORD, displayName: 'L' });
    const wrong = { email: address, password: 'definitely wrong' };
    await expectPhoenixError(first.client().auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });
    await expectPhoenixError(second.client().auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });
    await expectPhoenixError(first.client().auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });

    // Locked now, on either instance, even with the right password.
    const locked = await expectPhoenixError(
      second.client().auth.login.mutate({ email: address, password: PASSWORD }),
      {
        code: 'TOO_MANY_REQUESTS',
        reason: 'LOGIN_LOCKED',
      },
    );
    expect(locked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(2);
    const raw = await fetch(`${first.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: address, password: PASSWORD } }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The back office hears of it once, though two instances counted the failures.
    const alerts = await first.deps.db
      .selectFrom('adminAlerts')
      .select(['kind', 'severity', 'title'])
      .where('title', 'like', `%${address}%`)
      .execute();
    expect(alerts).toEqual([
      { kind: 'auth.account-locked', severity: 'info', title: expect.stringContaining(address) },
    ]);

    await expect
      .poll(
        () =>
          first
            .client()
            .auth.login.mutate({ email: address, password: PASSWORD })
            .then(
              () => 'in',
              () => 'locked',
            ),
        { timeout: 5_000, interval: 250 },
      )
      .toBe('in');
  });

  it('an address that reaches the daily failure limit is locked and raises one warning', async () => {
    await using strict = await startTestServer({
      env: { ...LIMITS, AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: '2' },
    });
    for (const label of ['stuff-a', 'stuff-b']) {
      await expectPhoenixError(
        strict.client().auth.login.mutate({ email: email(label), password: 'wrong password' }),
        { code: 'UNAUTHORIZED' },
      );
    }
    await expectPhoenixError(
      strict.client().auth.login.mutate({ email: email('stuff-c'), password: 'wrong password' }),
      { code: 'TOO_MANY_REQUESTS', reason: 'LOGIN_LOCKED' },
    );
    const alerts = await strict.deps.db
      .selectFrom('adminAlerts')
      .select(['kind', 'severity'])
      .where('kind', 'like', 'auth.%')
      .execute();
    expect(alerts).toEqual([{ kind: 'auth.ip-locked', severity: 'warning' }]);
  });

  it('a success resets the consecutive-failure count', async () => {
    const address = email('reset-count');
    await first
      .client()
      .auth.register.mutate({ email: address, password: PASSWORD, displayName: 'R' });
    const wrong = { email: address, password: 'definitely wrong' };
    for (let i = 0; i < 2; i++)
      await expectPhoenixError(first.client().auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });
    await first.client().auth.login.mutate({ email: address, password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await expectPhoenixError(second.client().auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });
    await expect(
      second.client().auth.login.mutate({ email: address, password: PASSWORD }),
    ).resolves.toBeDefined();
  });

  it('a spoofed X-Forwarded-For does not reset the limit when no proxy is trusted', async () => {
    const address = email('spoof');
    const wrong = { email: address, password: 'definitely wrong' };
    for (let i = 0; i < 3; i++) {
      const spoofing = first.client(undefined, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      await expectPhoenixError(spoofing.auth.login.mutate(wrong), { code: 'UNAUTHORIZED' });
    }
    const again = first.client(undefined, { 'x-forwarded-for': '198.51.100.77' });
    await expectPhoenixError(again.auth.login.mutate(wrong), { code: 'TOO_MANY_REQUESTS' });
  });

  it('limits password-reset requests per email', async () => {
    const address = email('reset-limit');
    await first.client().auth.requestPasswordReset.mutate({ email: address });
    await second.client().auth.requestPasswordReset.mutate({ email: address });
    await expectPhoenixError(first.client().auth.requestPasswordReset.mutate({ email: address }), {
      code: 'TOO_MANY_REQUESTS',
    });
  });
});

describe('trusted proxies', () => {
  it('believes X-Forwarded-For only from a configured proxy', async () => {
    await using proxied = await startTestServer({
      env: { ...LIMITS, TRUSTED_PROXIES: 'loopback', AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES: '2' },
    });
    const address = email('proxy');
    const wrong = { email: address, password: 'definitely wrong' };
    const from = (ip: string) => proxied.client(undefined, { 'x-forwarded-for': ip });
    await expectPhoenixError(from('203.0.113.10').auth.login.mutate(wrong), {
      code: 'UNAUTHORIZED',
    });
    await expectPhoenixError(from('203.0.113.10').auth.login.mutate(wrong), {
      code: 'UNAUTHORIZED',
    });
    await expectPhoenixError(from('203.0.113.10').auth.login.mutate(wrong), {
      code: 'TOO_MANY_REQUESTS',
    });
    // Another real client behind the same proxy is not locked out by the first one.
    await expectPhoenixError(from('203.0.113.11').auth.login.mutate(wrong), {
      code: 'UNAUTHORIZED',
    });
    const sessions = await proxied.deps.db.selectFrom('sessions').select('ip').execute();
    expect(sessions).toEqual([]);
  });
});

describe('cookie sessions', () => {
  async function cookieLogin() {
    const address = email('cookie');
    const res = await fetch(`${first.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: address, password: PASSWORD, displayName: 'C' } }),
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { setCookie, cookie: setCookie.split(';')[0] ?? '' };
  }

  it('sets an httpOnly, SameSite=Lax cookie (Secure outside localhost)', async () => {
    const { setCookie } = await cookieLogin();
    expect(setCookie).toMatch(/^phoenix_session=[a-z2-9]{24}\.[a-z2-9]{24};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
  });

  it('authenticates reads by cookie and refuses cross-site writes', async () => {
    const { cookie } = await cookieLogin();
    const me = await fetch(`${first.url}/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);

    const write = (headers: Record<string, string>) =>
      fetch(`${first.url}/trpc/auth.updateProfile`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ json: { displayName: 'Changed' } }),
      });
    const crossSite = await write({
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    const body = (await crossSite.json()) as { error: { json: { data: { reason: string } } } };
    expect(body.error.json.data.reason).toBe('CROSS_SITE_REQUEST');
    const sameOrigin = await write({ origin: first.url, 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.status).toBe(200);
  });
});

describe('hostile input', () => {
  it('__proto__ and constructor keys leave Object.prototype untouched', async () => {
    const payload =
      '{"json":{"email":"proto@example.com","password":"correct horse battery staple","displayName":"P",' +
      '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}';
    const res = await fetch(`${first.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
