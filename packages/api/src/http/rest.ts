import type { HttpBindings } from '@hono/node-server';
import { Scalar } from '@scalar/hono-api-reference';
import type { AnyTRPCRouter } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Handler } from 'hono';
import { type AppDeps, createContext } from '../context.ts';
import { formatError, type PhoenixErrorShape } from '../errors/shape.ts';
import { loadOnce } from '../platform/load-once.ts';
import type { PlainRoutes } from './plain-routes.ts';
import { reportProcedureError } from './procedure-errors.ts';
import { REST_PATH, restErrorBody } from './rest-error.ts';
import type { HttpVariables } from './variables.ts';

/**
 * The REST door: every procedure whose meta declares `openapi: { method, path }` is also
 * served under `/api` as plain JSON (no superjson: dates are ISO strings), described by
 * the OpenAPI 3.1 document at `/api/openapi.json` and browsable at `/docs`.
 */
export function restRoutes(router: AnyTRPCRouter): PlainRoutes {
  return {
    path: REST_PATH,
    limitBody: true,
    mount(app, deps) {
      const document = loadOnce(async () => {
        const { restDocument } = await import('./openapi-document.ts');
        return restDocument(router, { basePath: REST_PATH });
      });
      app.get(`${REST_PATH}/openapi.json`, async (c) => c.json(await document()));
      app.get('/docs', Scalar({ url: `${REST_PATH}/openapi.json`, pageTitle: 'Phoenix Hub API' }));
      app.all(`${REST_PATH}/*`, restHandler(deps, router));
    },
  };
}

/**
 * trpc-to-openapi (with what it pulls in, about 9 MB of heap) is loaded with the first REST
 * call or document request: a process whose clients all speak tRPC never holds it.
 */
const loadAdapter = loadOnce(() => import('trpc-to-openapi'));

function restHandler(
  deps: AppDeps,
  router: AnyTRPCRouter,
): Handler<{ Bindings: HttpBindings; Variables: HttpVariables }> {
  return async (c) => {
    const { createOpenApiFetchHandler } = await loadAdapter();
    const requestId = c.get('requestId');
    // The adapter hands createContext no response headers; cookies and retry-after go here.
    const resHeaders = new Headers();
    let failure: PhoenixErrorShape | null = null;
    const response = await createOpenApiFetchHandler({
      endpoint: REST_PATH,
      req: c.req.raw,
      router,
      createContext: () =>
        createContext(deps, {
          requestId,
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? null,
          batchSize: 1,
          headers: c.req.raw.headers,
          resHeaders,
        }),
      onError: ({ error, path, type }) => {
        reportProcedureError(deps, { error, requestId, path, type });
        // The hub's own shape, rather than the adapter's `issues` and generic message.
        failure = formatError({
          error,
          shape: { message: error.message, code: TRPC_ERROR_CODES_BY_KEY[error.code] },
          path,
          requestId,
        });
      },
    });
    const headers = new Headers(response.headers);
    resHeaders.forEach((value, name) => {
      headers.append(name, value);
    });
    if (!failure) return new Response(response.body, { status: response.status, headers });
    const shape: PhoenixErrorShape = failure;
    return Response.json(restErrorBody(shape), { status: shape.data.httpStatus, headers });
  };
}
