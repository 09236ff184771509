import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Environment, loadConfig } from '@phoenix/config';
import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { createPhoenixClient, type PhoenixClient } from '@phoenix/sdk';
import type { AppDeps, Clock } from '../context.ts';
import { buildHttpApp } from '../http/app.ts';
import { createHttpApp } from '../http/index.ts';
import { listen, requestTimeoutFor } from '../http/listen.ts';
import { createLogger } from '../http/logger.ts';
import type { PlainRoutes } from '../http/plain-routes.ts';
import {
  type JobDefinition,
  jobStoreFor,
  type RunningWorker,
  startWorker,
} from '../platform/jobs/index.ts';
import { appRouter, appRoutes, createAppDeps } from '../root.ts';

export interface TestServerOptions {
  /** Environment overrides on top of test defaults. */
  env?: Partial<Record<keyof Environment, string>>;
  /** Share a database with another server (two processes, one Postgres). */
  database?: TestDatabase;
  /** Share a kv store with another server (two processes, one Redis). */
  kv?: TestKv;
  /** Job kinds beyond the hub's own. */
  jobs?: readonly JobDefinition[];
  /** Run a job worker (with pg-boss maintenance and cron) in this server. */
  worker?: boolean;
  /** The clock time rules read; move it to test regeneration without sleeping. */
  clock?: Clock;
  /** Plain routes served beside the hub's own (a test door for a reusable handler). */
  routes?: readonly PlainRoutes[];
}

export interface TestServer extends AsyncDisposable {
  url: string;
  deps: AppDeps;
  database: TestDatabase;
  kv: TestKv;
  /** An SDK client, signed in when given a session token or API key. */
  client(token?: string, headers?: Record<string, string>): PhoenixClient;
  /** Present when started with `worker: true`. */
  worker: RunningWorker | undefined;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free port, over this test file's own database and kv
 * (real Postgres and Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const kv = options.kv ?? createTestKv();
  const storageDir = await mkdtemp(join(tmpdir(), 'phoenix-files-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    STORAGE_DIR: storageDir,
    LOG_LEVEL: process.env.PHOENIX_TEST_VERBOSE ? 'debug' : 'silent',
    // Tests wait for jobs: poll as often as pg-boss allows, check the cron every second.
    JOBS_POLL_INTERVAL_MS: '500',
    JOBS_CRON_CHECK_SECONDS: '1',
    JOBS_RETRY_DELAY_SECONDS: '1',
    ...options.env,
  });
  const deps: AppDeps = createAppDeps({
    config,
    db: database.db,
    kv,
    log: createLogger(config),
    // pg-boss's tables go in the test file's own schema, dropped with it.
    jobStore: jobStoreFor(database, {
      url: process.env.TEST_DATABASE_URL,
      schema: database.schema ?? config.jobs.schema,
      poolMax: 3,
    }),
    extraJobs: options.jobs ?? [],
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await deps.jobs.start({ maintenance: options.worker === true });
  const worker = options.worker ? await startWorker(deps) : undefined;
  const app = options.routes
    ? buildHttpApp(deps, { router: appRouter, routes: [...appRoutes, ...options.routes] })
    : createHttpApp(deps);
  const { server, port } = await listen(app, {
    host: '127.0.0.1',
    port: 0,
    maxHeaderSize: config.http.headerLimitBytes,
    requestTimeoutMs: requestTimeoutFor(config),
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await (worker ?? deps.jobs).stop({ timeoutMs: 5_000 });
    deps.mailer.close();
    await deps.storage.close();
    if (!options.kv) await kv.close();
    if (!options.database) await database.close();
    await rm(storageDir, { recursive: true, force: true });
  };
  return {
    url,
    deps,
    database,
    kv,
    client: (token, headers) =>
      createPhoenixClient({ url, token, ...(headers ? { headers } : {}) }),
    worker,
    close,
    [Symbol.asyncDispose]: close,
  };
}
/** Limits high enough that only the rate-limit tests ever meet them. */
export const ROOMY_ENV = {
  AUTH_REGISTER_PER_IP_PER_HOUR: '10000',
  ADMIN_READS_PER_MINUTE: '10000',
  ADMIN_WRITES_PER_MINUTE: '10000',
  ADMIN_DELETES_PER_MINUTE: '10000',
  ADMIN_EXPORTS_PER_MINUTE: '10000',
} as const;

export function startAdminTestServer(options: TestServerOptions = {}) {
  return startTestServer({ ...options, env: { ...ROOMY_ENV, ...options.env } });
}

export { auditRowsFor } from './audit-rows.ts';
export { expectPhoenixError } from './expect-error.ts';
export { type ServerPair, startServerPair } from './pair.ts';
export { PASSWORD, type SignedUp, type SignUpOptions, signUp } from './sign-up.ts';
export { type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from './smtp.ts';
export {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhook-receiver.ts';
