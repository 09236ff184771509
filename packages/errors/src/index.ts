/**
 * Errors a service throws when a rule says no. They know nothing of HTTP or tRPC;
 * the api package maps each kind to a transport code in one place.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'insufficient_credits'
  | 'too_large'
  | 'unsupported_type'
  | 'request_timeout'
  | 'unavailable';

import type { ErrorReason } from './reasons.ts';

export { ERROR_REASONS, type ErrorReason } from './reasons.ts';

export interface DomainErrorOptions {
  /** Stable machine-readable reason, e.g. `EMAIL_TAKEN`; clients switch on it. */
  reason: ErrorReason;
  /** Input field the error is about, as a dotted path. */
  field?: string;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly reason: ErrorReason;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: DomainErrorKind, message: string, options: DomainErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.kind = kind;
    this.reason = options.reason;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

type Options = Partial<DomainErrorOptions>;

export const invalid = (message: string, options: Options = {}) =>
  new DomainError('invalid', message, { reason: 'INVALID', ...options });
export const unauthenticated = (message = 'Sign in to continue', options: Options = {}) =>
  new DomainError('unauthenticated', message, { reason: 'UNAUTHENTICATED', ...options });
export const forbidden = (message = 'You may not do this', options: Options = {}) =>
  new DomainError('forbidden', message, { reason: 'FORBIDDEN', ...options });
export const notFound = (what: string, options: Options = {}) =>
  new DomainError('not_found', `${what} not found`, { reason: 'NOT_FOUND', ...options });
export const conflict = (message: string, options: Options = {}) =>
  new DomainError('conflict', message, { reason: 'CONFLICT', ...options });
export const rateLimited = (retryAfterSeconds: number, options: Options = {}) =>
  new DomainError('rate_limited', `Too many requests; retry in ${retryAfterSeconds}s`, {
    reason: 'RATE_LIMITED',
    retryAfterSeconds,
    ...options,
  });
export const insufficientCredits = (needed: number, balance: number) =>
  new DomainError(
    'insufficient_credits',
    `Not enough credits: this needs up to ${needed}, the balance is ${balance}`,
    { reason: 'INSUFFICIENT_CREDITS' },
  );
export const tooLarge = (message: string, options: Options = {}) =>
  new DomainError('too_large', message, { reason: 'PAYLOAD_TOO_LARGE', ...options });
export const unsupportedType = (message: string, options: Options = {}) =>
  new DomainError('unsupported_type', message, { reason: 'UNSUPPORTED_MEDIA_TYPE', ...options });
/**
 * The client was too slow sending its request (408), e.g. an upload body that went silent.
 * The hub waiting on a store or a provider is `unavailable` (503) instead.
 */
export const requestTimeout = (message: string, options: Options = {}) =>
  new DomainError('request_timeout', message, { reason: 'REQUEST_TIMEOUT', ...options });
export const unavailable = (message: string, options: Options = {}) =>
  new DomainError('unavailable', message, { reason: 'UNAVAILABLE', ...options });
export {
  errorCode,
  isSocketError,
  isStoreSocketError,
  markRaisedBy,
  type StoreName,
} from './network.ts';
