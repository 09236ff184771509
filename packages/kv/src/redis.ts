import { randomUUID } from 'node:crypto';
import { markRaisedBy } from '@phoenix/errors';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type {
  Increment,
  IncrementOptions,
  Kv,
  Lock,
  RateLimiterOptions,
  SetOptions,
} from './kv.ts';

// Each key in turn, adding ARGV's (by, ttlMs) pair for it; the expiry is set only when the
// key has none, so a counter's window starts at its first hit.
const INCREMENT_MANY_SCRIPT = `
local values = {}
for i, key in ipairs(KEYS) do
  values[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  if redis.call('PTTL', key) == -1 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return values`;

// Deletes the lock only if the caller still holds it (its token is the value).
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ScriptArg = string | number;
interface Scripts {
  phoenixIncrementMany(keyCount: number, ...keysThenArgs: ScriptArg[]): Promise<unknown>;
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
  /** Open until the subscriber connection is (again) ready; see `#subscriberReady`. */
  #subscriberGate: Gate = shutGate();
  #closed = false;
  readonly #commandMs: number;
  /**
   * Per subscribed channel: its handlers, and how many SUBSCRIBEs for it await their answer
   * (while one does, ending another subscription must not UNSUBSCRIBE the channel under it).
   */
  readonly #channels = new Map<string, ChannelEntry>();
  readonly #gapListeners = new Set<() => void>();
  readonly #onConnectionError: (error: Error) => void;

  constructor(options: RedisKvOptions) {
    this.#prefix = options.prefix ?? '';
    const timeouts = options.timeouts ?? DEFAULT_REDIS_TIMEOUTS;
    this.#commandMs = timeouts.commandMs;
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
    // No fixed key count: the caller gives it first.
    this.#client.defineCommand('phoenixIncrementMany', { lua: INCREMENT_MANY_SCRIPT });
    this.#client.defineCommand('phoenixRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  /** The underlying client, for libraries that speak Redis themselves. */
  get client(): Redis {
    return this.#client;
  }

  async get(key: string): Promise<string | null> {
    return this.#client.get(this.#key(key));
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return this.#client.mget(keys.map((key) => this.#key(key)));
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
    const [value] = await this.incrementMany([{ key, ...options }]);
    return value ?? Number.NaN;
  }

  async incrementMany(increments: readonly Increment[]): Promise<number[]> {
    if (increments.length === 0) return [];
    const keys = increments.map(({ key }) => this.#key(key));
    const args = increments.flatMap(({ by, ttlMs }) => [by ?? 1, Math.max(1, Math.ceil(ttlMs))]);
    const values = await this.#scripts.phoenixIncrementMany(keys.length, ...keys, ...args);
    return (values as unknown[]).map(Number);
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
    const subscriber = await this.#subscriberReady();
    const entry = this.#channel(name);
    entry.asking++;
    try {
      // Sent even when already subscribed: SUBSCRIBE is idempotent, and its answer comes
      // after the re-subscription ioredis sends on reconnecting, so it confirms delivery.
      await subscriber.subscribe(name);
    } catch (error) {
      entry.asking--;
      // Another subscription may have ended meanwhile and left the channel to this one.
      this.#forgetIfUnused(name, entry, subscriber).catch(() => {});
      throw error;
    }
    entry.asking--;
    // The entry stays in the map while a SUBSCRIBE for it is asking, so it is this one.
    entry.handlers.add(onMessage);
    return async () => {
      const current = this.#channels.get(name);
      if (!current?.handlers.delete(onMessage)) return;
      await this.#forgetIfUnused(name, current, subscriber);
    };
  }

  /** UNSUBSCRIBEs a channel left with no handler and no SUBSCRIBE awaiting its answer. */
  async #forgetIfUnused(name: string, entry: ChannelEntry, subscriber: Redis): Promise<void> {
    if (entry.handlers.size > 0 || entry.asking > 0 || this.#channels.get(name) !== entry) return;
    this.#channels.delete(name);
    await subscriber.unsubscribe(name);
  }

  /** The channel's entry, made when first asked for. */
  #channel(name: string): ChannelEntry {
    let entry = this.#channels.get(name);
    if (!entry) {
      entry = { handlers: new Set(), asking: 0 };
      this.#channels.set(name, entry);
    }
    return entry;
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
    this.#closed = true;
    this.#channels.clear();
    await Promise.all([this.#client.quit(), this.#subscriber?.quit()]);
  }

  /** The commands defineCommand added, which ioredis's types cannot know. */
  get #scripts(): Redis & Scripts {
    return this.#client as Redis & Scripts;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  #subscriberClient(): Redis {
    if (!this.#subscriber) {
      // No ready check (an INFO): when a SUBSCRIBE is queued before the connection is up,
      // or re-sent on reconnecting, ioredis would send that INFO in subscriber mode, where
      // Redis refuses it, and fail the subscription.
      const subscriber = this.#client.duplicate({ enableReadyCheck: false });
      subscriber.on('error', this.#onConnectionError);
      subscriber.on('message', (channel: string, message: string) => {
        for (const handler of this.#channels.get(channel)?.handlers ?? []) handler(message);
      });
      // One listener for the life of the connection: every 'ready' lets the waiters through.
      subscriber.on('ready', () => this.#subscriberGate.open());
      // Messages published while the connection is down are never delivered.
      subscriber.on('close', () => {
        // Reconnecting: later SUBSCRIBEs wait for the next 'ready' (a gate still shut stays).
        if (this.#subscriberGate.isOpen) this.#subscriberGate = shutGate();
        for (const listener of this.#gapListeners) listener();
      });
      this.#subscriber = subscriber;
    }
    return this.#subscriber;
  }

  /**
   * The subscriber, once its connection is ready, so SUBSCRIBEs go out in the order they
   * were asked for and their answers come back in it (what `subscribe` promises). Until
   * then ioredis would queue one and write the next at once: while it introduces itself
   * (CLIENT SETINFO) it writes commands Redis accepts while loading, SUBSCRIBE among them,
   * straight away, ahead of those queued while it connected. Every caller waits on the
   * same promise, so they go on in call order. Bounded like a command.
   */
  async #subscriberReady(): Promise<Redis> {
    if (this.#closed) throw kvUnavailable('Connection is closed.');
    const subscriber = this.#subscriberClient();
    const gate = this.#subscriberGate;
    // Through the same promise even when open, so as not to pass waiters it just released.
    if (gate.isOpen) {
      await gate.opened;
      return subscriber;
    }
    // Waits no longer than a command would: a connection error (Redis down: ioredis retries
    // and reports each failed attempt) or the command timeout fails it, as it failed the
    // SUBSCRIBE itself before; the error is the one `isKvUnavailable` knows.
    let timer: NodeJS.Timeout | undefined;
    let onError: ((error: Error) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            kvUnavailable(
              `Command timed out: Redis subscriber not ready within ${this.#commandMs} ms`,
            ),
          ),
        this.#commandMs,
      );
      onError = reject;
      subscriber.once('error', onError);
    });
    try {
      await Promise.race([gate.opened, failed]);
    } finally {
      clearTimeout(timer);
      if (onError) subscriber.off('error', onError);
    }
    return subscriber;
  }
}

/** A subscribed channel: its handlers, and how many SUBSCRIBEs for it await their answer. */
interface ChannelEntry {
  handlers: Set<(message: string) => void>;
  asking: number;
}

interface Gate {
  readonly opened: Promise<void>;
  readonly isOpen: boolean;
  open(): void;
}

/** A gate shut until `open()`; every waiter on `opened` goes on, in the order it waited. */
function shutGate(): Gate {
  let release = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const gate = {
    opened,
    isOpen: false,
    open() {
      gate.isOpen = true;
      release();
    },
  };
  return gate;
}

/** An error `isKvUnavailable` reads as Redis being unreachable (it starts with its message). */
function kvUnavailable(message: string): Error {
  const error = new Error(message);
  markRaisedBy(error, 'kv');
  return error;
}
