import { errorCode, isStoreSocketError } from '@phoenix/errors';

/** Postgres SQLSTATE 23505: a unique constraint refused the write (same code on PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

// Postgres SQLSTATEs that say the server, not the statement, is the problem: connection
// exceptions (08), too many connections, a shutdown or restart in progress, and a cancelled
// statement (statement_timeout).
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57014', '57P01', '57P02', '57P03']);
// node-postgres and pg-pool raise these as plain Errors without a code.
const DRIVER_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/**
 * Postgres SQLSTATE class 22, a data exception: a value the statement carried cannot be
 * stored or compared as its column's type (a NUL in text, a number out of range, a date
 * Postgres cannot hold). Input validation should have refused it first.
 */
export function isDataException(error: unknown): boolean {
  return error instanceof Error && (errorCode(error)?.startsWith('22') ?? false);
}

/**
 * Whether an error means Postgres is unreachable, silent or refusing work for now, so the
 * caller should retry later, rather than that a statement was wrong.
 *
 * A socket error (ECONNRESET, ECONNREFUSED...) counts only when a database connection
 * raised it: node-postgres and pg-pool hand on the socket's own error, as any other client
 * would, so `connect` marks what its pool and connections raise (and the job queue what
 * pg-boss raises). Another peer's socket failure, thrown as it is or wrapped in a cause
 * chain, is not the database's. PGlite runs in the process and raises none.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errorCode(error);
  if (code && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code))) return true;
  if (isStoreSocketError(error, 'database')) return true;
  return DRIVER_MESSAGES.some((text) => error.message.startsWith(text));
}
