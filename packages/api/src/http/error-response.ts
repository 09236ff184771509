import type { ErrorReason } from '@phoenix/errors';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Context as HonoContext } from 'hono';
import superjson from 'superjson';
import type { PhoenixErrorShape } from '../errors/shape.ts';
import { httpStatusOf } from '../errors/to-trpc.ts';

/**
 * An error answered before tRPC runs (body too large, unknown route, crash). Under
 * /trpc it has the tRPC error shape, serialized as the SDK expects; elsewhere plain JSON.
 */
export function errorResponse(
  c: HonoContext,
  error: { code: TRPC_ERROR_CODE_KEY; message: string; reason?: ErrorReason },
): Response {
  const httpStatus = httpStatusOf(error.code);
  const requestId = (c.get('requestId') as string | undefined) ?? null;
  if (!c.req.path.startsWith('/trpc')) {
    return c.json(
      { error: { code: error.code, message: error.message, requestId } },
      httpStatus as 400,
    );
  }
  const shape: PhoenixErrorShape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    data: {
      code: error.code,
      httpStatus,
      path: null,
      requestId,
      reason: error.reason ?? null,
      fieldErrors: null,
      retryAfterSeconds: null,
    },
  };
  return c.json({ error: superjson.serialize(shape) }, httpStatus as 400);
}
