import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type {
  Increment,
  IncrementOptions,
  Kv,
  Lock,
  RateLimiterOptions,
  SetOptions,
} from './kv.ts';

interface Entry {
  value: string;
  expiresAt: number | null;
}

const SWEEP_INTERVAL_MS = 60_000;

/** Process-local store for the embedded default and tests; same contract as Redis. */
export class MemoryKv implements Kv {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #bus = new EventEmitter();
  readonly #prefix: string;
  readonly #sweeper: NodeJS.Timeout;
  readonly #limiters = new Map<string, RateLimiterMemory>();

  constructor(options: { prefix?: string } = {}) {
    this.#prefix = options.prefix ?? '';
    this.#bus.setMaxListeners(0);
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_INTERVAL_MS);
    this.#sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.#live(key)?.value ?? null);
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.#live(key)) return false;
    this.#entries.set(key, { value, expiresAt: expiry(options.ttlMs) });
    return true;
  }

  async increment(key: string, options: IncrementOptions): Promise<number> {
    return this.#increment(key, options);
  }

  async incrementMany(increments: readonly Increment[]): Promise<number[]> {
    return increments.map(({ key, ...options }) => this.#increment(key, options));
  }

  #increment(key: string, options: IncrementOptions): number {
    const entry = this.#live(key);
    const next = (entry ? Number(entry.value) : 0) + (options.by ?? 1);
    this.#entries.set(key, {
      value: String(next),
      expiresAt: entry ? entry.expiresAt : expiry(options.ttlMs),
    });
    return next;
  }

  async ttl(key: string): Promise<number | null> {
    const expiresAt = this.#live(key)?.expiresAt;
    return expiresAt == null ? null : Math.max(0, expiresAt - Date.now());
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async publish(channel: string, message: string): Promise<void> {
    // Deliver on a later tick, as a network hop would, so callers never depend on sync delivery.
    setImmediate(() => this.#bus.emit(this.#prefix + channel, message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void) {
    const name = this.#prefix + channel;
    if (!this.#bus.listeners(name).includes(onMessage)) this.#bus.on(name, onMessage);
    return async () => {
      this.#bus.off(name, onMessage);
    };
  }

  /** In one process's memory no message is ever lost. */
  onSubscriptionGap(_listener: () => void): () => void {
    return () => {};
  }

  async acquireLock(key: string, ttlMs: number): Promise<Lock | null> {
    const token = randomUUID();
    if (!(await this.set(key, token, { ttlMs, onlyIfAbsent: true }))) return null;
    return {
      key,
      release: async () => {
        if (this.#live(key)?.value !== token) return false;
        this.#entries.delete(key);
        return true;
      },
    };
  }

  rateLimiter(options: RateLimiterOptions) {
    // One limiter per name, so every user of this store shares counts, as they would on Redis.
    const id = `${options.name}|${options.points}|${options.durationSeconds}|${options.blockSeconds ?? ''}`;
    const existing = this.#limiters.get(id);
    if (existing) return existing;
    const limiter = new RateLimiterMemory({
      keyPrefix: `${this.#prefix}rl:${options.name}`,
      points: options.points,
      duration: options.durationSeconds,
      ...(options.blockSeconds === undefined ? {} : { blockDuration: options.blockSeconds }),
    });
    this.#limiters.set(id, limiter);
    return limiter;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#bus.removeAllListeners();
    this.#entries.clear();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt != null && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt != null && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

function expiry(ttlMs: number | undefined): number | null {
  return ttlMs === undefined ? null : Date.now() + ttlMs;
}
