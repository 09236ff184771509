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

/** Whether a store client's error is the network failing rather than the request. */
export function isSocketError(error: Error): boolean {
  const code = errorCode(error);
  return code !== undefined && SOCKET_ERROR_CODES.has(code);
}
