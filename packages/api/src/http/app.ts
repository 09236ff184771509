import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps } from '../context.ts';
import { domainErrorOf } from '../errors/store-failure.ts';
import { trpcCodeFor } from '../errors/to-trpc.ts';
import { checkHealth } from '../platform/health.ts';
import { limitBody as limitBodyTo } from './body-limit.ts';
import { errorResponse } from './error-response.ts';
import { observeRequests } from './observe.ts';
import type { HttpApp, HubSurface } from './plain-routes.ts';
import { trpcHandler } from './trpc-handler.ts';

export interface AppState {
  /** Set while the process drains; readiness then fails so load balancers move away. */
  shuttingDown: boolean;
}

export type { HttpApp } from './plain-routes.ts';

/**
 * The HTTP app over what `root.ts` composes (`hub`): the core names no domain. Callers use
 * `createHttpApp` from `@phoenix/api/http`, which passes the hub's router and routes.
 */
export function buildHttpApp(
  deps: AppDeps,
  hub: HubSurface,
  state: AppState = { shuttingDown: false },
): HttpApp {
  const app: HttpApp = new Hono();
  const { http } = deps.config;

  app.use(observeRequests(deps));
  if (http.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: http.corsOrigins,
        credentials: true,
        allowHeaders: ['content-type', 'authorization', 'x-request-id', 'trpc-accept'],
        exposeHeaders: ['x-request-id', 'retry-after'],
        maxAge: 600,
      }),
    );
  }

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (state.shuttingDown) return c.json({ status: 'shutting_down' }, 503);
    const health = await checkHealth(deps);
    deps.metrics.storeUp.set({ store: 'database' }, health.database.ok ? 1 : 0);
    deps.metrics.storeUp.set({ store: 'kv' }, health.kv.ok ? 1 : 0);
    if (health.down.length > 0) deps.log.warn({ down: health.down }, 'not ready: a store is down');
    return c.json(health, health.status === 'ok' ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await deps.metrics.registry.metrics(), 200, {
      'content-type': deps.metrics.registry.contentType,
    }),
  );

  const limitBody = limitBodyTo({
    maxBytes: http.bodyLimitBytes,
    timeoutMs: http.requestTimeoutMs,
    onError: (c) =>
      errorResponse(c, {
        code: 'PAYLOAD_TOO_LARGE',
        message: `Request body is larger than ${http.bodyLimitBytes} bytes`,
      }),
  });
  app.use('/trpc/*', limitBody);
  app.all('/trpc/*', trpcHandler(deps, hub.router));
  for (const routes of hub.routes) {
    if (routes.limitBody) app.use(`${routes.path}/*`, limitBody);
    routes.mount(app, deps);
  }

  app.notFound((c) =>
    errorResponse(c, { code: 'NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}` }),
  );
  app.onError((error, c) => {
    const requestId = c.get('requestId');
    const domain = domainErrorOf(deps, error, { requestId, path: c.req.path });
    if (domain) {
      return errorResponse(c, {
        code: trpcCodeFor(domain.kind),
        message: domain.message,
        reason: domain.reason,
        retryAfterSeconds: domain.retryAfterSeconds,
      });
    }
    deps.log.error({ err: error, requestId, path: c.req.path }, 'unhandled error');
    return errorResponse(c, { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
  });
  return app;
}
