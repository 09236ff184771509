import type { Kv, Lock } from '@phoenix/kv';

export interface BreakerOptions {
  /** Length of the window failures are counted in; the count slides across two windows. */
  windowMs: number;
  /** Opens after this many failures in a window... */
  failureThreshold: number;
  /** ...or when this share of at least `minimumRequests` requests failed. */
  failureRate: number;
  minimumRequests: number;
  /** How long an open circuit refuses calls before one probe may try. */
  cooldownMs: number;
  /** Real-time expiry of the probe lock, so a process that dies mid-probe frees it. */
  probeLockMs: number;
  /**
   * How long this process trusts a read that found the circuit closed: a billed call then
   * skips the store's round trip. A circuit another process opens is seen here this much
   * later at most; one this process opens, at once.
   */
  closedStateCacheMs: number;
  keyPrefix: string;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  windowMs: 60_000,
  failureThreshold: 5,
  failureRate: 0.5,
  minimumRequests: 10,
  cooldownMs: 30_000,
  probeLockMs: 60_000,
  closedStateCacheMs: 100,
  keyPrefix: 'gateway:breaker:',
};

export type BreakerState = 'closed' | 'open' | 'half_open';

export type Admission =
  | { allowed: true; probe?: Lock }
  | { allowed: false; state: 'open' | 'half_open'; reason: string; retryInMs: number };

export interface Outcome {
  latencyMs: number;
  /** The lock handed out by `admit` when this call was the half-open probe. */
  probe?: Lock | undefined;
  /** A provider's Retry-After; an open circuit stays open at least this long. */
  retryAfterMs?: number | undefined;
}

export interface ProviderHealth {
  provider: string;
  state: BreakerState;
  /** Clock time when an open circuit lets a probe through; null when closed. */
  openUntil: number | null;
  requests: number;
  failures: number;
  errorRate: number;
  avgLatencyMs: number | null;
}

export interface CircuitBreaker {
  admit(provider: string): Promise<Admission>;
  recordSuccess(provider: string, outcome: Outcome): Promise<void>;
  recordFailure(provider: string, outcome: Outcome): Promise<void>;
  snapshot(providers: readonly string[]): Promise<ProviderHealth[]>;
}

/** A circuit that was closed has just opened: the moment an operator wants to hear of. */
export interface CircuitOpened {
  provider: string;
  openedAt: number;
  openUntil: number;
}

interface OpenRecord {
  openedAt: number;
  openUntil: number;
}

interface WindowCounts {
  requests: number;
  failures: number;
  latencySum: number;
}

// Keys outlive their meaning by a day at most; the clock inside the values is what counts.
const STATE_TTL_MS = 24 * 60 * 60 * 1000;
const MUTEX_TTL_MS = 2_000;
const MUTEX_TRIES = 20;

/**
 * A circuit breaker per provider whose state lives in the Kv, so every server process
 * sees the same circuits and only one of them probes a recovering provider.
 */
export function createCircuitBreaker(deps: {
  kv: Kv;
  now?: () => number;
  options?: Partial<BreakerOptions>;
  /** Told once per opening (not again while it stays open or re-opens after a probe). */
  onOpen?: (event: CircuitOpened) => void;
}): CircuitBreaker {
  const { kv } = deps;
  const now = deps.now ?? Date.now;
  const o: BreakerOptions = { ...DEFAULT_BREAKER_OPTIONS, ...deps.options };
  const key = (provider: string, suffix: string) => `${o.keyPrefix}${provider}:${suffix}`;
  const bucketKey = (provider: string, bucket: number, field: keyof WindowCounts) =>
    key(provider, `w:${bucket}:${field}`);
  const windowTtl = Math.max(1_000, o.windowMs * 3);

  // Only "closed" is kept: an open record's cool-down and probe must be read fresh. Calls
  // that arrive together share one read. `changes` counts this process's openings (at
  // their start and once written): a read that overlapped one is not kept, so the process
  // that opens a circuit never trusts a "closed" read from before its own write.
  const closedUntil = new Map<string, number>();
  const reading = new Map<string, Promise<OpenRecord | null>>();
  const changes = new Map<string, number>();
  const changed = (provider: string) => {
    closedUntil.delete(provider);
    changes.set(provider, (changes.get(provider) ?? 0) + 1);
  };

  async function readOpen(provider: string): Promise<OpenRecord | null> {
    const raw = await kv.get(key(provider, 'open'));
    if (!raw) return null;
    closedUntil.delete(provider);
    return JSON.parse(raw) as OpenRecord;
  }

  function trustedClosed(provider: string): boolean {
    const until = closedUntil.get(provider);
    if (until === undefined) return false;
    const left = until - now();
    // A clock that stepped back does not stretch the window.
    return left > 0 && left <= o.closedStateCacheMs;
  }

  function readOpenForAdmission(provider: string): Promise<OpenRecord | null> | null {
    if (trustedClosed(provider)) return null;
    const pending = reading.get(provider);
    if (pending) return pending;
    // The window starts when the question is asked, not when the answer arrives.
    const askedAt = now();
    const generation = changes.get(provider) ?? 0;
    const read = readOpen(provider)
      .then((record) => {
        const unchanged = (changes.get(provider) ?? 0) === generation;
        if (!record && unchanged && o.closedStateCacheMs > 0) {
          closedUntil.set(provider, askedAt + o.closedStateCacheMs);
        }
        return record;
      })
      .finally(() => reading.delete(provider));
    reading.set(provider, read);
    return read;
  }

  async function count(provider: string, outcome: Outcome, failed: boolean): Promise<void> {
    const bucket = Math.floor(now() / o.windowMs);
    const ttlMs = windowTtl;
    await kv.incrementMany([
      { key: bucketKey(provider, bucket, 'requests'), ttlMs },
      ...(failed ? [{ key: bucketKey(provider, bucket, 'failures'), ttlMs }] : []),
      {
        key: bucketKey(provider, bucket, 'latencySum'),
        by: Math.max(0, Math.round(outcome.latencyMs)),
        ttlMs,
      },
    ]);
  }

  /** Counts over a sliding window: this bucket plus the share of the last one still inside it. */
  async function recent(provider: string): Promise<WindowCounts & { samples: number }> {
    const at = now();
    const bucket = Math.floor(at / o.windowMs);
    const weight = 1 - (at - bucket * o.windowMs) / o.windowMs;
    const fields = ['requests', 'failures', 'latencySum'] as const;
    const values = await kv.getMany(
      [bucket, bucket - 1].flatMap((b) => fields.map((field) => bucketKey(provider, b, field))),
    );
    const [r0 = 0, f0 = 0, l0 = 0, r1 = 0, f1 = 0, l1 = 0] = values.map((v) => Number(v ?? 0));
    return {
      requests: r0 + r1 * weight,
      failures: f0 + f1 * weight,
      latencySum: l0 + l1,
      samples: r0 + r1,
    };
  }

  /** Serialises state changes across processes; best effort if the mutex stays busy. */
  async function withMutex<T>(provider: string, work: () => Promise<T>): Promise<T> {
    let lock: Lock | null = null;
    for (let i = 0; i < MUTEX_TRIES && !lock; i++) {
      lock = await kv.acquireLock(key(provider, 'mutex'), MUTEX_TTL_MS);
      if (!lock) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
      return await work();
    } finally {
      await lock?.release();
    }
  }

  /** Opens (or keeps open) a circuit; an existing cool-down is only ever lengthened. */
  async function open(provider: string, holdMs: number): Promise<void> {
    changed(provider);
    try {
      await withMutex(provider, async () => {
        const at = now();
        const existing = await readOpen(provider);
        const openUntil = Math.max(existing?.openUntil ?? 0, at + holdMs);
        if (existing && existing.openUntil === openUntil) return;
        const record: OpenRecord = { openedAt: existing?.openedAt ?? at, openUntil };
        await kv.set(key(provider, 'open'), JSON.stringify(record), {
          ttlMs: openUntil - at + STATE_TTL_MS,
        });
        if (!existing) deps.onOpen?.({ provider, ...record });
      });
    } finally {
      changed(provider);
    }
  }

  async function close(provider: string): Promise<void> {
    const bucket = Math.floor(now() / o.windowMs);
    await withMutex(provider, async () => {
      await kv.delete(key(provider, 'open'));
      // Forget the failures that opened it, or they would trip it again at once.
      await Promise.all(
        [bucket, bucket - 1].flatMap((b) =>
          (['requests', 'failures', 'latencySum'] as const).map((f) =>
            kv.delete(bucketKey(provider, b, f)),
          ),
        ),
      );
    });
  }

  const tripped = (c: WindowCounts) =>
    c.failures >= o.failureThreshold ||
    (c.requests >= o.minimumRequests && c.failures / c.requests >= o.failureRate);

  return {
    async admit(provider) {
      const read = readOpenForAdmission(provider);
      const record = read && (await read);
      if (!record) return { allowed: true };
      const at = now();
      if (at < record.openUntil) {
        return {
          allowed: false,
          state: 'open',
          reason: `circuit open for ${provider}`,
          retryInMs: record.openUntil - at,
        };
      }
      const probe = await kv.acquireLock(key(provider, 'probe'), o.probeLockMs);
      if (probe) return { allowed: true, probe };
      return {
        allowed: false,
        state: 'half_open',
        reason: `circuit half-open for ${provider}; another process is probing`,
        retryInMs: 0,
      };
    },

    async recordSuccess(provider, outcome) {
      await count(provider, outcome, false);
      if (outcome.probe) {
        await close(provider);
        await outcome.probe.release();
      }
    },

    async recordFailure(provider, outcome) {
      await count(provider, outcome, true);
      const hold = Math.max(o.cooldownMs, outcome.retryAfterMs ?? 0);
      try {
        if (outcome.probe) {
          await open(provider, hold);
          return;
        }
        const record = await readOpen(provider);
        if (record && now() < record.openUntil) {
          // A straggler that started before the circuit opened: only a longer Retry-After counts.
          if (outcome.retryAfterMs !== undefined) await open(provider, outcome.retryAfterMs);
          return;
        }
        if (record || tripped(await recent(provider))) await open(provider, hold);
      } finally {
        await outcome.probe?.release();
      }
    },

    async snapshot(providers) {
      return Promise.all(
        providers.map(async (provider): Promise<ProviderHealth> => {
          const [record, counts] = await Promise.all([readOpen(provider), recent(provider)]);
          const state: BreakerState = !record
            ? 'closed'
            : now() < record.openUntil
              ? 'open'
              : 'half_open';
          const requests = Math.round(counts.requests);
          const failures = Math.round(counts.failures);
          return {
            provider,
            state,
            openUntil: record?.openUntil ?? null,
            requests,
            failures,
            errorRate: counts.requests > 0 ? counts.failures / counts.requests : 0,
            avgLatencyMs: counts.samples > 0 ? counts.latencySum / counts.samples : null,
          };
        }),
      );
    },
  };
}
