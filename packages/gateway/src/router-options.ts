import { setTimeout as delay } from 'node:timers/promises';
import type { BreakerOptions } from './breaker.ts';

export interface RouterOptions {
  /** Longest wait for one provider call (for a stream: for its first token). */
  attemptTimeoutMs: number;
  /** Longest silence between two chunks of a stream once tokens flow. */
  streamIdleTimeoutMs: number;
  /** Budget for the whole call, fallbacks and waits included, unless the call names its own. */
  deadlineMs: number;
  /** Retries of one target after its first try, on retryable failures only. */
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this sends the call to the next target instead of waiting. */
  maxRetryAfterMs: number;
  breaker: Partial<BreakerOptions>;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_ROUTER_OPTIONS: RouterOptions = {
  attemptTimeoutMs: 30_000,
  streamIdleTimeoutMs: 30_000,
  deadlineMs: 90_000,
  maxRetries: 2,
  backoffBaseMs: 250,
  backoffMaxMs: 4_000,
  maxRetryAfterMs: 10_000,
  breaker: {},
  now: Date.now,
  random: Math.random,
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : undefined);
  },
};
