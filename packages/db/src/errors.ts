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

// The data exceptions (SQLSTATE class 22) a caller's value causes: text too long, a number
// out of range, a malformed date or time, a NUL, text where a number or id goes, a character
// the encoding cannot hold. Others of the class (a division by zero) are our own bugs.
const INPUT_DATA_EXCEPTIONS = new Set([
  '22001',
  '22003',
  '22007',
  '22008',
  '22021',
  '22P02',
  '22P05',
]);

/**
 * A value the statement carried cannot be stored or compared as its column's type (a NUL
 * in text, a number out of range, a date Postgres cannot hold). Input validation should
 * have refused it first.
 */
export function isDataException(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errorCode(error);
  return code !== undefined && INPUT_DATA_EXCEPTIONS.has(code);
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
