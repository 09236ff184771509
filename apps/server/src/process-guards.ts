import { isDatabaseUnavailable } from '@phoenix/db';
import { isKvUnavailable } from '@phoenix/kv';
import type { Logger } from 'pino';

const REPEAT_QUIET_MS = 30_000;

/**
 * Logs a store's connection errors without flooding: ioredis reports every failed
 * reconnect (twice a second while Redis is down), so one message is repeated at most
 * every 30 s. The drivers reconnect by themselves; nothing else is done here.
 */
export function connectionErrorLogger(log: Logger, store: 'database' | 'kv') {
  const lastLogged = new Map<string, number>();
  return (error: Error) => {
    const now = Date.now();
    const key = `${error.name}:${error.message}`;
    if (now - (lastLogged.get(key) ?? 0) < REPEAT_QUIET_MS) return;
    lastLogged.set(key, now);
    log.warn({ err: error, store }, `${store} connection error (reconnecting by itself)`);
  };
}

/**
 * A promise nobody awaited that failed because a store is down must not end the process
 * (Node's default): the store comes back and the hub with it. Any other unhandled
 * rejection is a bug whose state we cannot trust, so the process drains and stops.
 */
export function guardProcess(log: Logger, stop: (reason: string) => void): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason) || isKvUnavailable(reason)) {
      log.warn({ err: reason }, 'unhandled rejection from a store that is down; still serving');
      return;
    }
    log.fatal({ err: reason }, 'unhandled rejection; stopping');
    process.exitCode = 1;
    stop('unhandledRejection');
  });
}
