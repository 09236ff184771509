import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface SetOptions {
  ttlMs?: number;
  /** Write only when the key does not exist; `set` then answers whether it wrote. */
  onlyIfAbsent?: boolean;
}

export interface IncrementOptions {
  by?: number;
  /** Expiry given to the key when this increment creates it; later increments keep it. */
  ttlMs: number;
}

/** One counter of `incrementMany`. */
export interface Increment extends IncrementOptions {
  key: string;
}

export interface Lock {
  readonly key: string;
  /** Releases the lock if this holder still owns it; answers whether it did. */
  release(): Promise<boolean>;
}

export interface RateLimiterOptions {
  /** Namespace for this limiter's keys, e.g. `login:email-ip`. */
  name: string;
  points: number;
  durationSeconds: number;
  /** Once points are used up, block for this long (defaults to the rest of the window). */
  blockSeconds?: number;
}

export type Unsubscribe = () => Promise<void>;

/**
 * The only shared state a server process keeps: Redis in production, process memory by
 * default. Every key and channel is namespaced by the store's prefix.
 */
export interface Kv {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Several values at once (one command on Redis), in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /** Atomic add; returns the new value. */
  increment(key: string, options: IncrementOptions): Promise<number>;
  /**
   * Several `increment`s as one atomic step (one command on Redis, where a hot path counts
   * several things per request); answers the new values in order.
   */
  incrementMany(increments: readonly Increment[]): Promise<number[]>;
  /** Milliseconds until the key expires; null when it is missing or has no expiry. */
  ttl(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Resolves once the store confirmed the subscription. Calling it again for a channel
   * already subscribed asks the store again (a confirmation after a reconnection), and the
   * same `onMessage` is kept once.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  /**
   * Calls `listener` whenever subscriptions may have missed messages: the subscriber's
   * connection closed (it subscribes again by itself when it reconnects, but what was
   * published meanwhile is lost). Whatever a process keeps fresh through messages must stop
   * trusting itself until `subscribe` confirms again. Returns the way to stop listening.
   */
  onSubscriptionGap(listener: () => void): () => void;
  /** A lock that one holder across every process can take; null when it is taken. */
  acquireLock(key: string, ttlMs: number): Promise<Lock | null>;
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract;
  ping(): Promise<void>;
  close(): Promise<void>;
}
