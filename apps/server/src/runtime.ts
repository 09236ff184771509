import { type AppDeps, assertLazyModulesInstalled, createAppDeps, jobStoreFor } from '@phoenix/api';
import { createLogger } from '@phoenix/api/http';
import type { Config } from '@phoenix/config';
import { connect, type DatabaseHandle } from '@phoenix/db';
import { createKv } from '@phoenix/kv';
import { connectionErrorLogger } from './process-guards.ts';

export interface Runtime {
  deps: AppDeps;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens every long-lived resource the process needs, from one config. */
export async function openRuntime(config: Config): Promise<Runtime> {
  assertLazyModulesInstalled(config);
  const log = createLogger(config);
  const database = await connect({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolMax: config.database.poolMax,
    preparedStatements: config.database.preparedStatements,
    timeouts: config.database.timeouts,
    onConnectionError: connectionErrorLogger(log, 'database'),
  });
  const kv = createKv({
    redisUrl: config.kv.redisUrl,
    prefix: config.kv.prefix,
    timeouts: config.kv.timeouts,
    onConnectionError: connectionErrorLogger(log, 'kv'),
  });
  const jobStore = jobStoreFor(database, {
    url: config.database.url,
    schema: config.jobs.schema,
    poolMax: config.jobs.poolMax,
    timeouts: config.database.timeouts,
  });
  const deps: AppDeps = createAppDeps({ config, db: database.db, kv, log, jobStore });
  return {
    deps,
    database,
    close: async () => {
      // Idempotent: the worker (or serve.ts) usually stopped it already.
      await deps.jobs.stop({ timeoutMs: config.http.shutdownTimeoutMs });
      // Nothing uses the stores any more: no request is served, no job runs.
      deps.mailer.close();
      await Promise.allSettled([deps.storage.close(), database.close(), kv.close()]);
    },
  };
}
