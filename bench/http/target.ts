/**
 * One benchmark target in its own process: `raw` (bare node:http answering the same
 * JSON a tRPC query returns), `trpc` (Hono + tRPC with nothing else) or `hub` (the real
 * app, every middleware on). Prints its
 * URL on stdout and serves until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createAppDeps } from '@phoenix/api';
import { createHttpApp, createLogger, listen } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { connect, migrateUp } from '@phoenix/db';
import { createKv } from '@phoenix/kv';
import { initTRPC } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { pino } from 'pino';

const kind = process.argv[2];

if (kind === 'raw') {
  const body = JSON.stringify({
    result: { data: { json: { name: 'phoenix-hub', version: '0.1.0', node: process.version } } },
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
} else if (kind === 'trpc') {
  // Framework floor: Hono + tRPC's fetch adapter, no middleware, no transformer.
  const t = initTRPC.create();
  const router = t.router({
    system: t.router({
      version: t.procedure.query(() => ({
        name: 'phoenix-hub',
        version: '0.1.0',
        node: process.version,
      })),
    }),
  });
  const app = new Hono();
  app.all('/trpc/*', (c) =>
    fetchRequestHandler({ endpoint: '/trpc', req: c.req.raw, router, createContext: () => ({}) }),
  );
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
    console.log(`http://127.0.0.1:${info.port}`),
  );
} else if (kind === 'hub') {
  // Request logging stays on; its lines go to /dev/null instead of the terminal.
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    LOG_REQUESTS: process.env.BENCH_LOG_REQUESTS ?? 'true',
  });
  const database = await connect({ dataDir: 'memory://' });
  await migrateUp(database.db);
  const deps = createAppDeps({
    config,
    db: database.db,
    kv: createKv({}),
    log: createLogger(config, pino.destination({ dest: '/dev/null', sync: false })),
  });
  const { port } = await listen(createHttpApp(deps), { host: '127.0.0.1', port: 0 });
  console.log(`http://127.0.0.1:${port}`);
} else {
  console.error('usage: target.ts raw|trpc|hub');
  process.exit(2);
}

// Exit normally on a signal so profilers (--cpu-prof) can write their output.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
