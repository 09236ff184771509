import type { Config } from '@phoenix/config';
import { isDatabaseUnavailable, isDataException } from '@phoenix/db';
import { DomainError, invalid, unavailable } from '@phoenix/errors';
import { isKvUnavailable } from '@phoenix/kv';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';

export type Store = 'database' | 'kv';

const REASONS = { database: 'DATABASE_UNAVAILABLE', kv: 'KV_UNAVAILABLE' } as const;
const MESSAGES = {
  database: 'The database is unavailable; retry shortly',
  kv: 'The cache and rate-limit store is unavailable; retry shortly',
} as const;

/**
 * What `read` finds first down the error's cause chain: libraries wrap what they caught
 * (tRPC, Kysely's stack traces, our own services), so a few levels are looked at.
 */
function inCauseChain<T>(error: unknown, read: (error: Error) => T | null): T | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const found = read(current);
    if (found !== null) return found;
    current = current.cause;
  }
  return null;
}

const failedStore = (error: unknown): Store | null =>
  inCauseChain<Store>(error, (e) =>
    isDatabaseUnavailable(e) ? 'database' : isKvUnavailable(e) ? 'kv' : null,
  );

/** Which store a domain error made by `asDomainError` blames, if any. */
export function storeOf(error: DomainError): Store | null {
  if (error.kind !== 'unavailable') return null;
  if (error.reason === REASONS.database) return 'database';
  if (error.reason === REASONS.kv) return 'kv';
  return null;
}

/**
 * The one place a store failure (Postgres or Redis down, silent or refusing work) becomes
 * a domain error: `unavailable` with the store's reason and a `Retry-After`, which the
 * transports answer as 503. Services never need to know. A domain error is returned as it
 * is; anything else is null (a bug, answered as 500).
 */
export function asDomainError(error: unknown, retryAfterSeconds: number): DomainError | null {
  if (error instanceof DomainError) return error;
  // A value that validation let through and Postgres refused: the caller's input, so a
  // 400 (without the database's own words, which can quote SQL), not a 500.
  if (inCauseChain(error, (e) => (isDataException(e) ? e : null))) {
    return invalid('A value in the request cannot be stored', {
      reason: 'VALIDATION_FAILED',
      cause: error,
    });
  }
  const store = failedStore(error);
  if (!store) return null;
  return unavailable(MESSAGES[store], { reason: REASONS[store], retryAfterSeconds, cause: error });
}

/**
 * What every transport calls with a thrown error: the domain error to answer with, or
 * null for a bug (500). A store failure is counted by store and logged as a warning here,
 * so a 503 for a store never goes unseen.
 */
export function domainErrorOf(
  deps: { config: Config; metrics: Metrics; log: Logger },
  error: unknown,
  where: { requestId: string; path: string | null },
): DomainError | null {
  const domain = asDomainError(error, deps.config.stores.retryAfterSeconds);
  if (domain && domain !== error && domain.kind === 'invalid') {
    // A gap in an input schema: answered 400, logged so that it gets closed.
    deps.log.warn({ err: error, ...where }, 'a value Postgres refused was answered 400');
  }
  const store = domain && storeOf(domain);
  if (store) {
    deps.metrics.storeErrors.inc({ store });
    deps.metrics.storeUp.set({ store }, 0);
    deps.log.warn({ err: error, store, ...where }, `${store} unavailable: answered 503`);
  }
  return domain;
}
