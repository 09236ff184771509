/**
 * One benchmark target in its own process: `raw` (bare node:http answering the same
 * JSON a tRPC query returns), `trpc` (Hono + tRPC with nothing else, plus `auth.me` reading
 * one user row through Kysely) or `hub` (the real app, every middleware on; `auth.me`
 * authenticates the caller first). Both database targets use the same test-database pool
 * (Postgres on BENCH_DATABASE_URL, in a schema of their own, else in-memory PGlite).
 * Prints `{ url, apiKey?, session? }` on stdout and serves until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createAppDeps, jobStoreFor } from '@phoenix/api';
import { createHttpApp, createLogger, listen } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { initTRPC } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { pino } from 'pino';
import { trpcPost } from '../trpc-post.ts';

const kind = process.argv[2];
let onExit = async () => {};

if (kind === 'raw') {
  const body = JSON.stringify({
    result: { data: { json: { name: 'phoenix-hub', version: '0.1.0', node: process.version } } },
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(
      JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
} else if (kind === 'trpc') {
  // Framework floor: Hono + tRPC's fetch adapter, no middleware, no transformer; `auth.me`
  // is the same one-row read the hub's does, without authenticating anyone.
  const database = await createTestDatabase({ url: process.env.BENCH_DATABASE_URL });
  const { id: userId } = await database.db
    .insertInto('users')
    .values({ email: 'bench@example.com', displayName: 'Bench', passwordHash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const t = initTRPC.create();
  const router = t.router({
    system: t.router({
      version: t.procedure.query(() => ({
        name: 'phoenix-hub',
        version: '0.1.0',
        node: process.version,
      })),
    }),
    auth: t.router({
      me: t.procedure.query(() =>
        database.db
          .selectFrom('users')
          .select(['id', 'email', 'displayName', 'role', 'tier', 'timeZone', 'locale'])
          .where('id', '=', userId)
          .executeTakeFirstOrThrow(),
      ),
    }),
  });
  const app = new Hono();
  app.all('/trpc/*', (c) =>
    fetchRequestHandler({ endpoint: '/trpc', req: c.req.raw, router, createContext: () => ({}) }),
  );
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
    console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}` })),
  );
  onExit = () => database.close();
} else if (kind === 'hub') {
  // Request logging stays on; its lines go to /dev/null instead of the terminal.
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    LOG_REQUESTS: process.env.BENCH_LOG_REQUESTS ?? 'true',
  });
  const database = await createTestDatabase({ url: process.env.BENCH_DATABASE_URL });
  const deps = createAppDeps({
    config,
    db: database.db,
    kv: createKv({ redisUrl: process.env.BENCH_REDIS_URL, prefix: `bench:${process.pid}:` }),
    log: createLogger(config, pino.destination({ dest: '/dev/null', sync: false })),
    // Writes emit domain events, which are jobs: the queue runs (no worker: nothing polls).
    jobStore: jobStoreFor(database, {
      url: process.env.BENCH_DATABASE_URL,
      schema: database.schema ?? config.jobs.schema,
      poolMax: 2,
    }),
  });
  await deps.jobs.start({ maintenance: false });
  const { port } = await listen(createHttpApp(deps), { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${port}`;
  const post = (path: string, input: unknown, token?: string) =>
    trpcPost({ url, path, input: input, token });
  const { token: session } = await post('auth.register', {
    email: 'bench@example.com',
    password: 'correct horse battery staple',
    displayName: 'Bench',
  });
  const { secret: apiKey } = await post(
    'auth.apiKeys.create',
    { name: 'bench', scopes: ['read'] },
    String(session),
  );
  console.log(JSON.stringify({ url, apiKey, session }));
  onExit = () => database.close();
} else {
  console.error('usage: target.ts raw|trpc|hub');
  process.exit(2);
}

// Exit normally on a signal so profilers (--cpu-prof) can write their output.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    // A pool still draining (the job queue's) must not keep the profile from being written.
    setTimeout(() => process.exit(0), 2000).unref();
    void onExit().finally(() => process.exit(0));
  });
