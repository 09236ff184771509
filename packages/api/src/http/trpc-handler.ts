import type { HttpBindings } from '@hono/node-server';
import type { AnyTRPCRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Handler } from 'hono';
import { type AppDeps, createContext } from '../context.ts';
import { errorResponse } from './error-response.ts';
import { reportProcedureError } from './procedure-errors.ts';
import type { HttpVariables } from './variables.ts';

export function trpcHandler(
  deps: AppDeps,
  appRouter: AnyTRPCRouter,
): Handler<{ Bindings: HttpBindings; Variables: HttpVariables }> {
  const { maxBatchSize } = deps.config.http;
  return (c) => {
    const requestId = c.get('requestId');
    // Refused before the body is read: a 1 MiB body holds thousands of calls.
    const calls = batchedCalls(c.req.path, c.req.query('batch'));
    if (calls > maxBatchSize) {
      return errorResponse(c, {
        code: 'BAD_REQUEST',
        reason: 'BATCH_TOO_LARGE',
        message: `A batch may carry at most ${maxBatchSize} calls; this one carries ${calls}`,
      });
    }
    return fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      allowMethodOverride: false,
      // tRPC's own guard behind ours, in case the two ever count differently.
      maxBatchSize,
      createContext: ({ req, resHeaders, info }) =>
        createContext(deps, {
          requestId,
          ip: c.get('clientIp'),
          userAgent: req.headers.get('user-agent'),
          batchSize: info.calls.length,
          headers: req.headers,
          resHeaders,
        }),
      onError: ({ error, path, type }) =>
        reportProcedureError(deps, { error, requestId, path, type }),
    });
  };
}

/** How many procedures a `/trpc/a,b,c?batch=1` request names (1 for a plain call). */
function batchedCalls(path: string, batch: string | undefined): number {
  if (batch !== '1') return 1;
  // tRPC decodes the path with decodeURIComponent, so an encoded comma separates calls too.
  return path.slice(path.indexOf('/trpc/') + '/trpc/'.length).split(/,|%2c/i).length;
}
