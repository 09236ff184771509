/**
 * The hub for bench/gateway, everything on: API-key auth, quotas, credits (reserve,
 * settle, refund), request log. Its OpenAI provider is the local fake. Prints its URL and
 * one API key per simulated user on stdout.
 */
import { createAppDeps, jobStoreFor } from '@phoenix/api';
import { createHttpApp, createLogger, listen } from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';
import { trpcPost } from '../trpc-post.ts';

const providerUrl = process.argv[2] ?? '';
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: `${providerUrl}/v1`,
  GATEWAY_ROUTES: JSON.stringify({ 'chat.bench': [{ provider: 'openai', model: 'gpt-4o-mini' }] }),
  GATEWAY_SIGNUP_CREDITS: '1000000000',
  GATEWAY_FREE_REQUESTS_PER_MINUTE: '10000000',
  GATEWAY_FREE_TOKENS_PER_DAY: '1000000000',
  AUTH_REGISTER_PER_IP_PER_HOUR: '100',
});
// A schema of its own on BENCH_DATABASE_URL (dropped on exit), else in-memory PGlite.
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

const call = (path: string, body: unknown, token?: string) =>
  trpcPost({ url, path, input: body, token });
// One user (and key) per load connection, as real traffic spreads over many balances.
const apiKeys: string[] = [];
for (let i = 0; i < Number(process.env.BENCH_USERS ?? 8); i++) {
  const { token } = await call('auth.register', {
    email: `bench-${process.pid}-${i}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'Bench',
  });
  const { secret } = await call(
    'auth.apiKeys.create',
    { name: 'bench', scopes: ['write'] },
    String(token),
  );
  apiKeys.push(String(secret));
}
console.log(JSON.stringify({ url, apiKeys }));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void database.close().finally(() => process.exit(0));
  });
