import type { DomainError, DomainErrorKind } from '@phoenix/errors';
import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context } from '../context.ts';
import { domainErrorOf } from './store-failure.ts';

/** The one place a domain error kind becomes a transport code. */
export function trpcCodeFor(kind: DomainErrorKind): TRPC_ERROR_CODE_KEY {
  switch (kind) {
    case 'invalid':
      return 'BAD_REQUEST';
    case 'unauthenticated':
      return 'UNAUTHORIZED';
    case 'forbidden':
      return 'FORBIDDEN';
    case 'not_found':
      return 'NOT_FOUND';
    case 'conflict':
      return 'CONFLICT';
    case 'rate_limited':
      return 'TOO_MANY_REQUESTS';
    case 'insufficient_credits':
      return 'PAYMENT_REQUIRED';
    case 'too_large':
      return 'PAYLOAD_TOO_LARGE';
    case 'unsupported_type':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'request_timeout':
      return 'TIMEOUT';
    case 'unavailable':
      return 'SERVICE_UNAVAILABLE';
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
}

/** The HTTP status tRPC answers a code with; routes outside tRPC answer the same. */
export function httpStatusOf(code: TRPC_ERROR_CODE_KEY): number {
  return getHTTPStatusCodeFromError(new TRPCError({ code }));
}

/** A domain error as tRPC sends it; the domain error stays the cause for the error shape. */
export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: trpcCodeFor(error.kind), message: error.message, cause: error });
}

/**
 * A subscription's errors are thrown while it streams, after the middlewares returned,
 * so they are mapped here instead: the client gets the same code and reason either way.
 */
export async function* mapDomainErrors<T>(
  source: AsyncIterable<T>,
  ctx: Pick<Context, 'config' | 'metrics' | 'log' | 'requestId'>,
): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    const domain = domainErrorOf(ctx, error, { requestId: ctx.requestId, path: null });
    throw domain ? toTRPCError(domain) : error;
  }
}
