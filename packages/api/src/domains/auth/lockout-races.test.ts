import { getErrorDetails, UNBATCHED_PROCEDURES } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../root.ts';
import { type ServerPair, startServerPair, type TestServer } from '../../testing/index.ts';

/**
 * Lockouts must hold when guesses arrive all at once, on two server processes sharing
 * one database and one kv, and when many guesses share one HTTP request (a tRPC batch).
 * Assertions count answers, never time: the kv's atomic consume decides how many guesses
 * reach the hash, whatever order they land in.
 */

const PASSWORD = 'correct horse battery staple';
const WRONG = 'definitely not it';
const MAX_FAILURES = 5;
const IP_PER_DAY = 20;
const LIMITS = {
  AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES: String(MAX_FAILURES),
  // Long enough that no lock can lapse during a test on a slow machine.
  AUTH_LOGIN_LOCK_SECONDS: '600',
  AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: String(IP_PER_DAY),
  AUTH_REGISTER_PER_IP_PER_HOUR: '1000',
  // Each test speaks from an address of its own, so no test spends another's daily budget.
  TRUSTED_PROXIES: 'loopback',
};

let pair: ServerPair;
let first: TestServer;
let second: TestServer;
let n = 0;
const email = (label: string) => `${label}-${++n}-${Date.now()}@example.com`;
const address = () => `203.0.113.${++n}`;

beforeAll(async () => {
  pair = await startServerPair(LIMITS);
  ({ first, second } = pair);
});
afterAll(() => pair.close());

/** A client of one instance or the other, alternating, as a balancer would spread calls. */
const clientFor = (i: number, ip: string, token?: string) =>
  (i % 2 === 0 ? first : second).client(token, { 'x-forwarded-for': ip });

/** `ok`, or the reason the hub gave for refusing. */
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'ok',
    (error: unknown) => getErrorDetails(error)?.reason ?? String(error),
  );

/** Makes `count` calls at once and counts how they ended. */
async function tallyInParallel(count: number, call: (i: number) => Promise<unknown>) {
  return tally(await Promise.all(Array.from({ length: count }, (_, i) => outcome(call(i)))));
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function registered(ip: string) {
  const address = email('victim');
  const grant = await clientFor(0, ip).auth.register.mutate({
    email: address,
    password: PASSWORD,
    displayName: 'Victim',
  });
  return { email: address, token: grant.token };
}

describe('lockout under parallel guesses on two instances', () => {
  it('lets exactly the allowed number of 30 parallel wrong passwords reach the hash', async () => {
    const ip = address();
    const victim = await registered(ip);
    expect(
      await tallyInParallel(30, (i) =>
        clientFor(i, ip).auth.login.mutate({ email: victim.email, password: WRONG }),
      ),
    ).toEqual({
      INVALID_CREDENTIALS: MAX_FAILURES,
      LOGIN_LOCKED: 30 - MAX_FAILURES,
    });
  });

  it('refuses the right password sent 18th of 20 once the allowance is spent', async () => {
    const ip = address();
    const victim = await registered(ip);
    const guess = (i: number, password: string) =>
      outcome(clientFor(i, ip).auth.login.mutate({ email: victim.email, password }));
    // 17 wrong guesses at once. The first refusal proves the allowance is spent (the
    // guesses that got a point may still be at the hash); then the last three go out
    // together, the right password among them. With the old check-then-count, no
    // refusal ever came and every guess reached the hash.
    let sawLock = () => {};
    const locked = new Promise<void>((resolve) => {
      sawLock = resolve;
    });
    const early = Array.from({ length: 17 }, (_, i) =>
      guess(i, WRONG).then((o) => {
        if (o === 'LOGIN_LOCKED') sawLock();
        return o;
      }),
    );
    await Promise.race([locked, Promise.all(early)]);
    const late = [guess(17, PASSWORD), guess(18, WRONG), guess(19, WRONG)];
    const outcomes = await Promise.all([...early, ...late]);
    expect(outcomes[17]).toBe('LOGIN_LOCKED');
    expect(tally(outcomes)).toEqual({
      INVALID_CREDENTIALS: MAX_FAILURES,
      LOGIN_LOCKED: 20 - MAX_FAILURES,
    });
  });

  it('holds the per-address daily limit for parallel guesses at unknown emails', async () => {
    const ip = address();
    expect(
      await tallyInParallel(30, (i) =>
        clientFor(i, ip).auth.login.mutate({ email: email('nobody'), password: WRONG }),
      ),
    ).toEqual({
      INVALID_CREDENTIALS: IP_PER_DAY,
      LOGIN_LOCKED: 30 - IP_PER_DAY,
    });
  });

  it('counts a stolen session guessing the current password like login guesses', async () => {
    const ip = address();
    const victim = await registered(ip);
    expect(
      await tallyInParallel(12, (i) =>
        clientFor(i, ip, victim.token).auth.changePassword.mutate({
          currentPassword: WRONG,
          newPassword: 'a brand new passphrase',
        }),
      ),
    ).toEqual({
      WRONG_PASSWORD: MAX_FAILURES,
      LOGIN_LOCKED: 12 - MAX_FAILURES,
    });
    // The pair is locked for login too: the same guesser, the same counters.
    expect(
      await outcome(
        clientFor(0, ip).auth.login.mutate({ email: victim.email, password: PASSWORD }),
      ),
    ).toBe('LOGIN_LOCKED');
  });

  it('a success gives the points back: the owner is not locked out by their own logins', async () => {
    const ip = address();
    const victim = await registered(ip);
    for (let i = 0; i < IP_PER_DAY + MAX_FAILURES; i++) {
      await clientFor(i, ip).auth.login.mutate({ email: victim.email, password: PASSWORD });
    }
    expect(
      await outcome(clientFor(0, ip).auth.login.mutate({ email: victim.email, password: WRONG })),
    ).toBe('INVALID_CREDENTIALS');
  });
});

type BatchAnswer = Array<{
  result?: unknown;
  error?: { json: { message: string; data: { code: string; reason: string | null } } };
}>;

/** One raw tRPC batch request, as any HTTP client could send it. */
async function batch(
  server: TestServer,
  calls: Array<{ path: string; input?: unknown }>,
  ip: string,
) {
  const paths = calls.map((c) => c.path).join(',');
  const body = Object.fromEntries(calls.map((c, i) => [i, { json: c.input }]));
  const res = await fetch(`${server.url}/trpc/${paths}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const logins = (count: number, who: () => string) =>
  Array.from({ length: count }, () => ({
    path: 'auth.login',
    input: { email: who(), password: WRONG },
  }));

describe('lockout and batches', () => {
  it('refuses every password check inside a batch, and counts none of them', async () => {
    const ip = address();
    const victim = await registered(ip);
    const { status, body } = await batch(
      first,
      logins(MAX_FAILURES * 2, () => victim.email),
      ip,
    );
    expect(status).toBe(400);
    const answers = body as BatchAnswer;
    expect(answers).toHaveLength(MAX_FAILURES * 2);
    for (const answer of answers) {
      expect(answer.error?.json.data).toMatchObject({
        code: 'BAD_REQUEST',
        reason: 'BATCH_NOT_ALLOWED',
      });
    }
    // Nothing was spent: the pair still has its whole allowance.
    expect(
      await outcome(clientFor(1, ip).auth.login.mutate({ email: victim.email, password: WRONG })),
    ).toBe('INVALID_CREDENTIALS');
  });

  it('answers the other calls of a batch that holds a login', async () => {
    const ip = address();
    const { status, body } = await batch(
      second,
      [
        { path: 'auth.requestPasswordReset', input: { email: email('reset') } },
        { path: 'auth.login', input: { email: email('x'), password: WRONG } },
      ],
      ip,
    );
    expect(status).toBe(207);
    const [reset, login] = body as BatchAnswer;
    expect(reset?.result).toBeDefined();
    expect(login?.error?.json.data.reason).toBe('BATCH_NOT_ALLOWED');
  });

  it('refuses a batch larger than TRPC_MAX_BATCH_SIZE before reading it', async () => {
    const ip = address();
    for (const calls of [
      logins(20, () => email('many')),
      logins(60, () => email('nobody')),
      Array.from({ length: 11 }, () => ({ path: 'system.version' })),
    ]) {
      const { status, body } = await batch(first, calls, ip);
      expect(status).toBe(400);
      expect(body).toMatchObject({
        error: {
          json: {
            message: `A batch may carry at most 10 calls; this one carries ${calls.length}`,
            data: { code: 'BAD_REQUEST', reason: 'BATCH_TOO_LARGE', httpStatus: 400 },
          },
        },
      });
    }
    // An encoded comma separates calls too: tRPC decodes the path before splitting it.
    const encoded = await fetch(
      `${first.url}/trpc/${Array.from({ length: 11 }, () => 'system.version').join('%2C')}?batch=1`,
    );
    expect(encoded.status).toBe(400);
    // The refused batches spent none of this address's daily budget.
    expect(
      await tallyInParallel(IP_PER_DAY, (i) =>
        clientFor(i, ip).auth.login.mutate({ email: email('after'), password: WRONG }),
      ),
    ).toEqual({ INVALID_CREDENTIALS: IP_PER_DAY });
  });

  it('the SDK sends password checks alone, so typed callers never meet the refusal', async () => {
    const ip = address();
    const victim = await registered(ip);
    const client = clientFor(0, ip);
    const [version, login, me] = await Promise.all([
      client.system.version.query(),
      client.auth.login.mutate({ email: victim.email, password: PASSWORD }),
      clientFor(0, ip, victim.token).auth.me.query(),
    ]);
    expect(version.version).toBeTypeOf('string');
    expect(login.user.email).toBe(victim.email);
    expect(me.email).toBe(victim.email);
  });

  it('the SDK lists exactly the procedures the router marks unbatchable', () => {
    const marked = Object.entries(appRouter._def.procedures as Record<string, unknown>)
      .filter(
        ([, p]) => (p as { _def: { meta?: { unbatchable?: boolean } } })._def.meta?.unbatchable,
      )
      .map(([path]) => path);
    expect(new Set(marked)).toEqual(UNBATCHED_PROCEDURES);
  });
});
