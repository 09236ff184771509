import type { HttpBindings } from '@hono/node-server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Handler } from 'hono';
import { type AppDeps, createContext } from '../context.ts';
import { captureError } from '../domains/admin/errors/capture.ts';
import { appRouter } from '../root.ts';
import { responseHeaders } from './observe.ts';
import type { HttpVariables } from './variables.ts';

export function trpcHandler(
  deps: AppDeps,
): Handler<{ Bindings: HttpBindings; Variables: HttpVariables }> {
  return (c) => {
    const requestId = c.get('requestId');
    return fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      allowMethodOverride: false,
      createContext: ({ req, resHeaders }) => {
        for (const [name, value] of responseHeaders(requestId)) resHeaders.set(name, value);
        return createContext(deps, {
          requestId,
          ip: c.get('clientIp'),
          userAgent: req.headers.get('user-agent'),
          headers: req.headers,
          resHeaders,
        });
      },
      onError: ({ error, path, type }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          deps.log.error({ err: error.cause ?? error, requestId, path, type }, 'procedure failed');
          // Into the admin error log, off the response path: a failure to record is only logged.
          void captureError(deps.db, {
            error: error.cause ?? error,
            path: path ?? null,
            requestId,
          }).catch((err: unknown) => deps.log.warn({ err, requestId }, 'error log capture failed'));
        } else {
          deps.log.debug(
            { requestId, path, code: error.code, message: error.message },
            'procedure refused',
          );
        }
      },
    });
  };
}
