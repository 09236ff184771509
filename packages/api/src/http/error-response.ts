import type { ErrorReason } from '@phoenix/errors';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Context as HonoContext } from 'hono';
import superjson from 'superjson';
import type { PhoenixErrorData, PhoenixErrorShape } from '../errors/shape.ts';
import { httpStatusOf } from '../errors/to-trpc.ts';
import { openAiErrorResponse } from './openai-errors.ts';
import { REST_PATH, restErrorBody } from './rest-error.ts';

/**
 * An error answered outside a route's own handling (body too large, unknown route,
 * crash). Under /trpc it has the tRPC error shape, serialized as the SDK expects; under
 * /v1 OpenAI's, as the official clients expect; under /api the REST door's; elsewhere plain JSON.
 */
export function errorResponse(
  c: HonoContext,
  error: {
    code: TRPC_ERROR_CODE_KEY;
    message: string;
    reason?: ErrorReason | undefined;
    retryAfterSeconds?: number | undefined;
  },
): Response {
  const httpStatus = httpStatusOf(error.code);
  if (c.req.path === '/v1' || c.req.path.startsWith('/v1/')) return openAiErrorResponse(c, error);
  const requestId = (c.get('requestId') as string | undefined) ?? null;
  const reason = error.reason ?? null;
  const retryAfterSeconds = error.retryAfterSeconds ?? null;
  if (retryAfterSeconds !== null) c.header('retry-after', String(retryAfterSeconds));
  const data: PhoenixErrorData = {
    code: error.code,
    httpStatus,
    path: null,
    requestId,
    reason,
    fieldErrors: null,
    retryAfterSeconds,
  };
  if (c.req.path === REST_PATH || c.req.path.startsWith(`${REST_PATH}/`)) {
    return c.json(restErrorBody({ message: error.message, data }), httpStatus as 400);
  }
  if (!c.req.path.startsWith('/trpc')) {
    return c.json(
      { error: { code: error.code, reason, message: error.message, requestId } },
      httpStatus as 400,
    );
  }
  const shape: PhoenixErrorShape = {
    message: error.message,
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    data,
  };
  return c.json({ error: superjson.serialize(shape) }, httpStatus as 400);
}
