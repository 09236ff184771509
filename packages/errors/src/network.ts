// Node's socket errors while reaching or talking to a server.
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** The error's string `code` (a Node system error or a Postgres SQLSTATE), if it has one. */
export function errorCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Whether an error is the network failing rather than the request (whoever's socket it was). */
export function isSocketError(error: Error): boolean {
  const code = errorCode(error);
  return code !== undefined && SOCKET_ERROR_CODES.has(code);
}

/** The stores whose clients say which errors they raised. */
export type StoreName = 'database' | 'kv';

// A registered symbol: still the same key if two copies of this package are loaded.
const RAISED_BY = Symbol.for('phoenix.errors.raisedBy');

/**
 * Notes on an error that this store's client raised it, and returns the error. node-postgres
 * and ioredis hand on the socket's own error (`read ECONNRESET`, `connect ECONNREFUSED
 * 10.0.0.5:5432`), which looks the same whoever's socket it was: only the place that got
 * it from the driver knows, so the store packages mark what their drivers raise.
 */
export function markRaisedBy<E>(error: E, store: StoreName): E {
  if (error instanceof Error && !Object.hasOwn(error, RAISED_BY)) {
    Object.defineProperty(error, RAISED_BY, { value: store, configurable: true });
  }
  return error;
}

/**
 * Whether this store's client raised this socket error. A socket error nobody marked is
 * another peer's (a provider, SMTP, a webhook target, a client hanging up), whether it is
 * thrown as it is or found in the cause chain of what was thrown.
 */
export function isStoreSocketError(error: Error, store: StoreName): boolean {
  return isSocketError(error) && (error as { [RAISED_BY]?: unknown })[RAISED_BY] === store;
}
