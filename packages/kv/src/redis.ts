import { randomUUID } from 'node:crypto';
import { markRaisedBy } from '@phoenix/errors';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { IncrementOptions, Kv, Lock, RateLimiterOptions, SetOptions } from './kv.ts';

// Sets the expiry only when the key has none, so a counter's window starts at its first hit.
const INCREMENT_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

// Deletes the lock only if the caller still holds it (its token is the value).
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ScriptArg = string | number;
interface Scripts {
  phoenixIncrement(key: string, by: ScriptArg, ttlMs: ScriptArg): Promise<unknown>;
  phoenixRelease(key: string, token: string): Promise<unknown>;
}

export interface RedisTimeouts {
  connectMs: number;
  /** Per command, including one queued while the client reconnects. */
  commandMs: number;
}

export interface RedisKvOptions {
  url: string;
  prefix?: string;
  timeouts?: RedisTimeouts;
  /** Told of connection errors; ioredis reconnects by itself, so they are only reported. */
  onConnectionError?: (error: Error) => void;
}

/** Used when a caller gives none: a few seconds, never forever. */
export const DEFAULT_REDIS_TIMEOUTS: RedisTimeouts = { connectMs: 2_000, commandMs: 2_000 };

// Reconnects forever, quickly at first then twice a second: with maxRetriesPerRequest at 1,
// a command queued while Redis is down fails after two attempts (about a second), not later.
const RECONNECT_DELAY_CAP_MS = 500;
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, RECONNECT_DELAY_CAP_MS);

export class RedisKv implements Kv {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #prefix: string;
  #subscriber: Redis | undefined;
  readonly #handlers = new Map<string, Set<(message: string) => void>>();
  readonly #gapListeners = new Set<() => void>();
  readonly #onConnectionError: (error: Error) => void;

  constructor(options: RedisKvOptions) {
    this.#prefix = options.prefix ?? '';
    const timeouts = options.timeouts ?? DEFAULT_REDIS_TIMEOUTS;
    // Auto-pipelining sends the commands issued in one tick as one write: a gateway call
    // checks several counters at once, and each socket write is a syscall.
    // The offline queue stays on so commands sent while the first connection opens (or
    // during a blip) are not refused; commandTimeout and maxRetriesPerRequest bound how
    // long one waits there.
    this.#client = new Redis(options.url, {
      lazyConnect: false,
      enableAutoPipelining: true,
      connectTimeout: timeouts.connectMs,
      commandTimeout: timeouts.commandMs,
      maxRetriesPerRequest: 1,
      retryStrategy: reconnectDelay,
    });
    // An 'error' event with no listener would end the process. ioredis emits a socket
    // error before the commands it fails with it see it (their rejections are handled on
    // a later tick), so marking it here makes it Redis's wherever it is caught.
    const told = options.onConnectionError;
    this.#onConnectionError = (error) => {
      markRaisedBy(error, 'kv');
      told?.(error);
    };
    this.#client.on('error', this.#onConnectionError);
    // Scripts go by SHA after their first use (ioredis reloads them on NOSCRIPT).
    this.#client.defineCommand('phoenixIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    this.#client.defineCommand('phoenixRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  /** The underlying client, for libraries that speak Redis themselves. */
  get client(): Redis {
    return this.#client;
  }

  async get(key: string): Promise<string | null> {
    return this.#client.get(this.#key(key));
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const k = this.#key(key);
    const { ttlMs, onlyIfAbsent } = options;
    let reply: string | null;
    if (ttlMs !== undefined && onlyIfAbsent)
      reply = await this.#client.set(k, value, 'PX', ttlMs, 'NX');
    else if (ttlMs !== undefined) reply = await this.#client.set(k, value, 'PX', ttlMs);
    else if (onlyIfAbsent) reply = await this.#client.set(k, value, 'NX');
    else reply = await this.#client.set(k, value);
    return reply === 'OK';
  }

  async increment(key: string, options: IncrementOptions): Promise<number> {
    const value = await this.#scripts.phoenixIncrement(
      this.#key(key),
      options.by ?? 1,
      Math.max(1, Math.ceil(options.ttlMs)),
    );
    return Number(value);
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.#client.pttl(this.#key(key));
    return ms < 0 ? null : ms;
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#key(key));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#client.publish(this.#key(channel), message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void) {
    const name = this.#key(channel);
    const subscriber = await this.#subscriberClient();
    const existing = this.#handlers.get(name);
    const handlers = existing ?? new Set();
    if (!existing) this.#handlers.set(name, handlers);
    try {
      // Sent even when already subscribed: SUBSCRIBE is idempotent, and its answer comes
      // after the re-subscription ioredis sends on reconnecting, so it confirms delivery.
      await subscriber.subscribe(name);
    } catch (error) {
      // Not subscribed: the next call must try SUBSCRIBE again, not find a set and skip it.
      if (!existing) this.#handlers.delete(name);
      throw error;
    }
    handlers.add(onMessage);
    return async () => {
      const current = this.#handlers.get(name);
      current?.delete(onMessage);
      if (current && current.size === 0) {
        this.#handlers.delete(name);
        await subscriber.unsubscribe(name);
      }
    };
  }

  onSubscriptionGap(listener: () => void): () => void {
    this.#gapListeners.add(listener);
    return () => {
      this.#gapListeners.delete(listener);
    };
  }

  async acquireLock(key: string, ttlMs: number): Promise<Lock | null> {
    const token = randomUUID();
    if (!(await this.set(key, token, { ttlMs, onlyIfAbsent: true }))) return null;
    return {
      key,
      release: async () => Number(await this.#scripts.phoenixRelease(this.#key(key), token)) === 1,
    };
  }

  rateLimiter(options: RateLimiterOptions) {
    return new RateLimiterRedis({
      storeClient: this.#client,
      keyPrefix: `${this.#prefix}rl:${options.name}`,
      points: options.points,
      duration: options.durationSeconds,
      ...(options.blockSeconds === undefined ? {} : { blockDuration: options.blockSeconds }),
    });
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  /** Deletes every key under this store's prefix (test clean-up). */
  async deleteAllWithPrefix(): Promise<void> {
    if (!this.#prefix) throw new Error('refusing to delete every key of an unprefixed store');
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(
        cursor,
        'MATCH',
        `${this.#prefix}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) await this.#client.del(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    await Promise.all([this.#client.quit(), this.#subscriber?.quit()]);
  }

  /** The commands defineCommand added, which ioredis's types cannot know. */
  get #scripts(): Redis & Scripts {
    return this.#client as Redis & Scripts;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  async #subscriberClient(): Promise<Redis> {
    if (!this.#subscriber) {
      // No ready check (an INFO): when a SUBSCRIBE is queued before the connection is up,
      // or re-sent on reconnecting, ioredis would send that INFO in subscriber mode, where
      // Redis refuses it, and fail the subscription.
      const subscriber = this.#client.duplicate({ enableReadyCheck: false });
      subscriber.on('error', this.#onConnectionError);
      subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.#handlers.get(channel) ?? []) handler(message);
      });
      // Messages published while the connection is down are never delivered.
      subscriber.on('close', () => {
        for (const listener of this.#gapListeners) listener();
      });
      this.#subscriber = subscriber;
    }
    return this.#subscriber;
  }
}
