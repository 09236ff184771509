import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';
import { startTestServer, type TestServer } from '../testing/index.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

// A request still unanswered after this long is a hang, and fails the test as one. The
// stores' deadlines below are a second or two, so a loaded machine has ample margin.
const HANG_MS = 15_000;
const ROUTE = 'chat.offline';
const PASSWORD = 'correct horse battery staple';

interface Answer {
  status: number;
  retryAfter: string | null;
  error: { code: string; reason: string | null; retryAfterSeconds: number | null } | undefined;
  result: unknown;
}

// PGlite and the memory kv live in the process: there is no connection to break, so the
// suite needs the real services (.ci/run sets both variables).
describe.skipIf(!databaseUrl || !redisUrl)(
  'a store that fails (TCP fault proxy before Postgres and Redis; needs TEST_DATABASE_URL and TEST_REDIS_URL)',
  () => {
    let postgres: FaultProxy;
    let redis: FaultProxy;
    let database: TestDatabase;
    let kv: TestKv;
    let server: TestServer;
    let users = 0;

    beforeAll(async () => {
      if (!databaseUrl || !redisUrl) return;
      postgres = await startFaultProxy(databaseUrl);
      redis = await startFaultProxy(redisUrl);
      // The schema is made and dropped over the direct URL; the server talks through the proxy.
      database = await createTestDatabase({
        url: databaseUrl,
        via: postgres.url,
        timeouts: { connectMs: 1_000, statementMs: 1_000 },
        onConnectionError: () => {},
      });
      kv = createTestKv({ url: redis.url, timeouts: { connectMs: 1_000, commandMs: 1_000 } });
      server = await startTestServer({
        database,
        kv,
        env: {
          GATEWAY_ROUTES: JSON.stringify({
            [ROUTE]: [{ provider: 'offline', model: 'phoenix-offline-1' }],
          }),
          // One credit per token, so a bill shows in the balance.
          GATEWAY_PRICES: JSON.stringify({
            'offline/phoenix-offline-1': { input: 1_000_000, output: 1_000_000 },
          }),
        },
      });
    });
    // A failed case must not leave its fault on for the next one.
    afterEach(async () => {
      postgres.mode = 'pass';
      redis.mode = 'pass';
      await waitReady();
    });
    afterAll(async () => {
      if (postgres) postgres.mode = 'pass';
      if (redis) redis.mode = 'pass';
      await server?.close();
      await kv?.close();
      await database?.close();
      await postgres?.close();
      await redis?.close();
    });

    async function call(
      path: string,
      options: { token?: string; input?: unknown; mutation?: boolean } = {},
    ): Promise<Answer> {
      const body =
        options.input === undefined ? undefined : JSON.stringify({ json: options.input });
      const query = !options.mutation && body ? `?input=${encodeURIComponent(body)}` : '';
      const response = await fetch(`${server.url}/trpc/${path}${query}`, {
        method: options.mutation ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        ...(options.mutation && body ? { body } : {}),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const payload = (await response.json()) as {
        result?: { data?: { json?: unknown } };
        error?: { json?: { data?: Answer['error'] } };
      };
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        error: payload.error?.json?.data,
        result: payload.result?.data?.json,
      };
    }

    const get = (path: string) =>
      fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(HANG_MS) });

    async function newUser(options: { admin?: boolean } = {}) {
      const email = `faults-${++users}-${Date.now()}@example.com`;
      const { token, user } = await server
        .client()
        .auth.register.mutate({ email, password: PASSWORD, displayName: 'F' });
      if (options.admin) {
        await database.db
          .updateTable('users')
          .set({ role: 'admin' })
          .where('id', '=', user.id)
          .execute();
      }
      return { id: user.id, email, token };
    }

    const chat = (token: string) =>
      call('gateway.chat', {
        token,
        mutation: true,
        input: { route: ROUTE, messages: [{ role: 'user', content: 'hello' }], maxTokens: 20 },
      });

    const balance = async (userId: string) => {
      const row = await database.db
        .selectFrom('creditBalances')
        .select('balance')
        .where('userId', '=', userId)
        .executeTakeFirstOrThrow();
      return row.balance;
    };

    function expectUnavailable(answer: Answer, reason: 'DATABASE_UNAVAILABLE' | 'KV_UNAVAILABLE') {
      expect(answer.status).toBe(503);
      expect(answer.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(answer.error?.reason).toBe(reason);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(answer.error?.retryAfterSeconds).toBe(Number(answer.retryAfter));
    }

    async function expectNotReady(store: 'database' | 'kv') {
      const response = await get('/readyz');
      expect(response.status).toBe(503);
      const body = (await response.json()) as { down: string[] };
      expect(body.down).toEqual([store]);
      expect((await get('/healthz')).status).toBe(200);
    }

    /** Waits for the condition, not for a fixed time: recovery takes what it takes. */
    async function waitUntil(what: string, condition: () => Promise<boolean> | boolean) {
      const deadline = Date.now() + 30_000;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const waitReady = () =>
      waitUntil('/readyz says ready', async () => (await get('/readyz')).status === 200);

    async function storeErrors(store: 'database' | 'kv') {
      const response = await get('/metrics');
      expect(response.status).toBe(200);
      const text = await response.text();
      const line = text.match(
        new RegExp(`^phoenix_store_errors_total\\{store="${store}"\\} (\\d+)`, 'm'),
      );
      return Number(line?.[1] ?? 0);
    }

    /** Down: new connections refused and open ones reset. Silent: every byte held. */
    function inject(proxy: FaultProxy, mode: 'refuse' | 'blackhole') {
      proxy.mode = mode;
      if (mode === 'refuse') proxy.resetAll();
    }

    /**
     * Lifts the fault; once ready, one call bills exactly once and nothing from the outage
     * was billed.
     */
    async function recover(proxy: FaultProxy, user: { id: string; token: string }, before: number) {
      proxy.mode = 'pass';
      await waitReady();
      const answer = await chat(user.token);
      expect(answer.status).toBe(200);
      const charged = (answer.result as { creditsCharged: number }).creditsCharged;
      expect(charged).toBeGreaterThan(0);
      expect(await balance(user.id)).toBe(before - charged);
      const calls = await database.db
        .selectFrom('gatewayRequests')
        .select('status')
        .where('userId', '=', user.id)
        .execute();
      expect(calls).toEqual([{ status: 'ok' }]);
    }

    it.each([
      { fault: 'down', mode: 'refuse' },
      { fault: 'silent', mode: 'blackhole' },
    ] as const)(
      'Redis $fault: login and chat answer 503 KV_UNAVAILABLE instead of hanging, reads on Postgres keep working, all recovers',
      async ({ mode }) => {
        const user = await newUser();
        const admin = await newUser({ admin: true });
        const before = await balance(user.id);
        const errorsBefore = await storeErrors('kv');
        const login = () =>
          call('auth.login', { mutation: true, input: { email: user.email, password: PASSWORD } });
        inject(redis, mode);

        // Login fails closed: without its counters the brute-force throttle cannot count.
        expectUnavailable(await login(), 'KV_UNAVAILABLE');
        expectUnavailable(await chat(user.token), 'KV_UNAVAILABLE');
        expect((await call('auth.me', { token: user.token })).status).toBe(200);
        expect((await call('gateway.credits.balance', { token: user.token })).status).toBe(200);
        // An administrator's reads go on unmetered; writes fail closed.
        expect((await call('admin.alerts.list', { token: admin.token, input: {} })).status).toBe(
          200,
        );
        expectUnavailable(
          await call('admin.alerts.markAllRead', { token: admin.token, mutation: true }),
          'KV_UNAVAILABLE',
        );
        await expectNotReady('kv');
        expect(await storeErrors('kv')).toBeGreaterThan(errorsBefore);

        await recover(redis, user, before);
        expect((await login()).status).toBe(200);
      },
    );

    it('Postgres reset: idle and blocked connections reset, the process lives on and recovers', async () => {
      const user = await newUser();
      const before = await balance(user.id);
      // Idle pooled connections reset: node-postgres emits 'error' on the pool.
      postgres.resetAll();
      expect((await get('/healthz')).status).toBe(200);
      await waitReady();

      // Connections blocked on a silent server, then reset while requests wait on them.
      postgres.mode = 'blackhole';
      const waiting = [
        call('auth.me', { token: user.token }),
        call('gateway.credits.balance', { token: user.token }),
        chat(user.token),
      ];
      await waitUntil('a request is blocked on Postgres', () => postgres.blocked > 0);
      postgres.resetAll();
      for (const answer of await Promise.all(waiting))
        expectUnavailable(answer, 'DATABASE_UNAVAILABLE');
      expect((await get('/healthz')).status).toBe(200);

      await recover(postgres, user, before);
    });

    it.each([
      { fault: 'down', mode: 'refuse' },
      { fault: 'silent', mode: 'blackhole' },
    ] as const)(
      'Postgres $fault: database requests answer 503 DATABASE_UNAVAILABLE instead of hanging, all recovers',
      async ({ mode }) => {
        const user = await newUser();
        const before = await balance(user.id);
        const errorsBefore = await storeErrors('database');
        inject(postgres, mode);

        expectUnavailable(await call('auth.me', { token: user.token }), 'DATABASE_UNAVAILABLE');
        expectUnavailable(await chat(user.token), 'DATABASE_UNAVAILABLE');
        await expectNotReady('database');
        expect(await storeErrors('database')).toBeGreaterThan(errorsBefore);

        await recover(postgres, user, before);
      },
    );
  },
);
