import { refundAbandonedCalls } from '@phoenix/api';
import { type AppState, createHttpApp, listen } from '@phoenix/api/http';
import { migrateUp } from '@phoenix/db';
import type { Runtime } from './runtime.ts';

const SWEEP_INTERVAL_MS = 3_600_000;

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
  });
  const host = address.includes(':') ? `[${address}]` : address;
  const url = config.http.publicUrl ?? `http://${host}:${port}`;

  // Hourly: expired sessions are rejected when presented, this removes the ones never seen
  // again; gateway calls a stopped process left pending get their reservation back.
  const sweep = setInterval(() => {
    deps.auth.sessions.deleteExpired().then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'deleted expired sessions'),
      (error: unknown) => log.warn({ err: error }, 'session sweep failed'),
    );
    refundAbandonedCalls(deps.db).then(
      (closed) => closed > 0 && log.warn({ closed }, 'refunded gateway calls left pending'),
      (error: unknown) => log.warn({ err: error }, 'abandoned gateway call sweep failed'),
    );
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      state.shuttingDown = true;
      clearInterval(sweep);
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
      await runtime.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { url, shutdown };
}
