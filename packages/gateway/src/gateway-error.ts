import { DomainError, type DomainErrorKind, type ErrorReason } from '@phoenix/errors';
import type { Attempt } from './attempt.ts';
import type { ProviderError } from './provider-error.ts';

/** A domain error that carries the attempts made, so a failed call can still be logged. */
export class GatewayError extends DomainError {
  readonly attempts: readonly Attempt[];

  constructor(
    kind: DomainErrorKind,
    message: string,
    options: {
      reason: ErrorReason;
      attempts: readonly Attempt[];
      cause?: unknown;
      retryAfterSeconds?: number;
    },
  ) {
    super(kind, message, options);
    this.name = 'GatewayError';
    this.attempts = options.attempts;
  }
}

export const ALL_PROVIDERS_FAILED = 'ALL_PROVIDERS_FAILED';
export const PROVIDER_REJECTED_REQUEST = 'PROVIDER_REJECTED_REQUEST';
export const GATEWAY_DEADLINE_EXCEEDED = 'GATEWAY_DEADLINE_EXCEEDED';
export const UNKNOWN_ROUTE = 'UNKNOWN_ROUTE';

export function allProvidersFailed(attempts: readonly Attempt[], last: unknown): GatewayError {
  return new GatewayError('unavailable', 'Every AI provider for this route failed', {
    reason: ALL_PROVIDERS_FAILED,
    attempts,
    cause: last,
  });
}

export function deadlineExceeded(attempts: readonly Attempt[], last: unknown): GatewayError {
  return new GatewayError('unavailable', 'No AI provider answered before the deadline', {
    reason: GATEWAY_DEADLINE_EXCEEDED,
    attempts,
    cause: last,
  });
}

/** A 400 means the request itself is wrong; another provider would refuse it too. */
export function providerRejected(error: ProviderError, attempts: readonly Attempt[]): GatewayError {
  return new GatewayError('invalid', `The AI provider rejected the request: ${error.message}`, {
    reason: PROVIDER_REJECTED_REQUEST,
    attempts,
    cause: error,
  });
}

export function unknownRoute(route: string): GatewayError {
  return new GatewayError('invalid', `Unknown gateway route ${route}`, {
    reason: UNKNOWN_ROUTE,
    attempts: [],
  });
}
