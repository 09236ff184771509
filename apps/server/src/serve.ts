import { type RunningWorker, startWorker } from '@phoenix/api';
import { type AppState, createHttpApp, listen, requestTimeoutFor } from '@phoenix/api/http';
import { migrateUp } from '@phoenix/db';
import type { Runtime } from './runtime.ts';

export interface RunningServer {
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes pools. */
  shutdown(reason: string): Promise<void>;
}

export async function startServer(runtime: Runtime): Promise<RunningServer> {
  const { deps } = runtime;
  const { log, config } = deps;
  const applied = await migrateUp(deps.db);
  if (applied.length > 0) log.info({ migrations: applied }, 'applied migrations');

  const state: AppState = { shuttingDown: false };
  const app = createHttpApp(deps, state);
  const { server, port, address } = await listen(app, {
    host: config.http.host,
    port: config.http.port,
    maxHeaderSize: config.http.headerLimitBytes,
    requestTimeoutMs: requestTimeoutFor(config),
  });
  const host = address.includes(':') ? `[${address}]` : address;
  const url = config.http.publicUrl ?? `http://${host}:${port}`;

  // Sweeps and other scheduled work are jobs: pg-boss sends each tick once per cluster.
  await deps.jobs.start({ maintenance: config.jobs.workerInProcess });
  const worker: RunningWorker | undefined = config.jobs.workerInProcess
    ? await startWorker(deps)
    : undefined;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      state.shuttingDown = true;
      log.info({ reason }, 'shutting down: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.http.shutdownTimeoutMs).unref(),
      );
      if ((await Promise.race([closed, timeout])) === 'timeout') {
        log.warn(
          { timeoutMs: config.http.shutdownTimeoutMs },
          'in-flight requests cut at shutdown timeout',
        );
        server.closeAllConnections();
      }
      // Running jobs finish (or are left to be retried) before the pools close.
      await (worker ?? deps.jobs).stop({ timeoutMs: config.http.shutdownTimeoutMs });
      await runtime.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { url, shutdown };
}
