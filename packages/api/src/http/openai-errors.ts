import { DomainError } from '@phoenix/errors';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Context as HonoContext } from 'hono';
import { z } from 'zod';
import { httpStatusOf, trpcCodeFor } from '../errors/to-trpc.ts';

/** OpenAI's error object: the official clients raise their typed errors from it. */
export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

interface Placed {
  status: number;
  type: string;
  headers: Record<string, string>;
}

/**
 * Our transport codes as OpenAI answers them. Out of credits is OpenAI's
 * `insufficient_quota` (a 429); `x-should-retry: false` stops the official clients from
 * retrying it as they would a rate limit.
 */
function place(code: TRPC_ERROR_CODE_KEY): Placed {
  const status = httpStatusOf(code);
  switch (code) {
    case 'UNAUTHORIZED':
      return { status, type: 'authentication_error', headers: {} };
    case 'FORBIDDEN':
      return { status, type: 'permission_error', headers: {} };
    case 'TOO_MANY_REQUESTS':
      return { status, type: 'rate_limit_error', headers: {} };
    case 'PAYMENT_REQUIRED':
      return { status: 429, type: 'insufficient_quota', headers: { 'x-should-retry': 'false' } };
    case 'SERVICE_UNAVAILABLE':
      return { status, type: 'service_unavailable_error', headers: {} };
    default:
      return {
        status,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        headers: {},
      };
  }
}

/** `['messages', 0, 'content']` -> `messages[0].content`, as OpenAI names a parameter. */
export function paramOf(path: readonly PropertyKey[]): string | null {
  let param = '';
  for (const key of path) {
    param += typeof key === 'number' ? `[${key}]` : `${param ? '.' : ''}${String(key)}`;
  }
  return param || null;
}

/** An error answered in OpenAI's shape, with the status its code maps to. */
export function openAiErrorResponse(
  c: HonoContext,
  error: {
    code: TRPC_ERROR_CODE_KEY;
    message: string;
    reason?: string | null;
    param?: string | null;
  },
  retryAfterSeconds?: number,
): Response {
  const { status, type, headers } = place(error.code);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  if (retryAfterSeconds !== undefined) c.header('retry-after', String(retryAfterSeconds));
  const body: { error: OpenAiError } = {
    error: {
      message: error.message,
      type,
      param: error.param ?? null,
      code: error.reason ?? error.code,
    },
  };
  return c.json(body, status as 400);
}

/** What a caller may see of a failure: domain errors and input errors; anything else rethrown. */
export function openAiErrorFor(c: HonoContext, error: unknown): Response {
  if (error instanceof DomainError) {
    return openAiErrorResponse(
      c,
      {
        code: trpcCodeFor(error.kind),
        message: error.message,
        reason: error.reason,
        param: error.field ?? null,
      },
      error.retryAfterSeconds,
    );
  }
  if (error instanceof z.ZodError) return openAiInvalid(c, error);
  throw error;
}

/** A refused request body: the first issue, its field named the way OpenAI does. */
export function openAiInvalid(c: HonoContext, error: z.ZodError): Response {
  const issue = error.issues[0];
  const param = issue ? paramOf(issue.path) : null;
  return openAiErrorResponse(c, {
    code: 'BAD_REQUEST',
    message: issue ? `${param ?? 'body'}: ${issue.message}` : 'Invalid request',
    reason: 'VALIDATION_FAILED',
    param,
  });
}

/** The error event that ends a stream already under way (its status was sent as 200). */
export function openAiStreamError(error: unknown): OpenAiError {
  const known = error instanceof DomainError ? error : null;
  return {
    message: known?.message ?? 'Internal server error',
    type: known ? place(trpcCodeFor(known.kind)).type : 'server_error',
    param: null,
    code: known?.reason ?? null,
  };
}
