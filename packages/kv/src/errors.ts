import { isStoreSocketError } from '@phoenix/errors';

// ioredis raises these as plain Errors; rate-limiter-flexible passes them on as they are.
const CLIENT_MESSAGES = [
  'Command timed out',
  'Connection is closed.',
  "Stream isn't writeable",
  'Redis connection is not ready',
];
// Replies of a server that is up but cannot serve yet (loading its data, a replica, busy script).
const REPLY_PREFIXES = ['LOADING', 'BUSY', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'CLUSTERDOWN'];

/**
 * Whether an error means Redis is unreachable, silent or not serving for now, so the caller
 * should retry later, rather than that a command was wrong. A socket error counts only when
 * our Redis client raised it (`RedisKv` marks what ioredis emits), never another peer's.
 */
export function isKvUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (isStoreSocketError(error, 'kv')) return true;
  if (CLIENT_MESSAGES.some((text) => error.message.startsWith(text))) return true;
  return (
    error.name === 'ReplyError' && REPLY_PREFIXES.some((p) => error.message.startsWith(`${p} `))
  );
}
