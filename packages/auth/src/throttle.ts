import { rateLimited } from '@phoenix/errors';
import { type Kv, type RateLimiterAbstract, RateLimiterRes } from '@phoenix/kv';

export interface LoginThrottleLimits {
  /** Consecutive failures for one email from one IP before that pair is locked. */
  maxConsecutiveFailures: number;
  lockSeconds: number;
  /** Failures from one IP, any email, per day before the IP is locked for a day. */
  maxFailuresPerIpPerDay: number;
}

const DAY_SECONDS = 86_400;

function retryAfterSeconds(res: RateLimiterRes | null): number {
  return Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
}

/**
 * Brute-force protection after rate-limiter-flexible's login recipe: a per-email+IP
 * counter of consecutive failures (reset by a success) and a slow per-IP counter.
 * State lives in the kv, so every server process sees the same counts.
 */
/** The locks one failed login set: an email at this address, or the address itself. */
export interface LocksSet {
  account: boolean;
  ip: boolean;
}

export function createLoginThrottle(kv: Kv, limits: LoginThrottleLimits) {
  // Counters only: the lock is set explicitly with block() when a count is reached, so
  // get() then reports the lock's remaining time rather than the counting window's.
  const byEmailAndIp = kv.rateLimiter({
    name: 'login:email-ip',
    points: limits.maxConsecutiveFailures,
    durationSeconds: DAY_SECONDS,
  });
  const byIp = kv.rateLimiter({
    name: 'login:ip',
    points: limits.maxFailuresPerIpPerDay,
    durationSeconds: DAY_SECONDS,
  });
  const pairKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

  return {
    /** Throws RATE_LIMITED with a retry-after while either counter is locked. */
    async assertAllowed(email: string, ip: string): Promise<void> {
      const [pair, address] = await Promise.all([
        byEmailAndIp.get(pairKey(email, ip)),
        byIp.get(ip),
      ]);
      if (pair && pair.consumedPoints >= limits.maxConsecutiveFailures) {
        throw rateLimited(retryAfterSeconds(pair), { reason: 'LOGIN_LOCKED' });
      }
      if (address && address.consumedPoints >= limits.maxFailuresPerIpPerDay) {
        throw rateLimited(retryAfterSeconds(address), { reason: 'LOGIN_LOCKED' });
      }
    },

    /** Counts a failed login; says which lock this very failure set, if any. */
    async recordFailure(email: string, ip: string): Promise<LocksSet> {
      const pair = pairKey(email, ip);
      const [pairCount, ipCount] = await Promise.all([
        countFailure(byEmailAndIp, pair),
        countFailure(byIp, ip),
      ]);
      const locks = {
        account: pairCount === limits.maxConsecutiveFailures,
        ip: ipCount === limits.maxFailuresPerIpPerDay,
      };
      if (pairCount >= limits.maxConsecutiveFailures)
        await byEmailAndIp.block(pair, limits.lockSeconds);
      if (ipCount >= limits.maxFailuresPerIpPerDay) await byIp.block(ip, DAY_SECONDS);
      return locks;
    },

    async recordSuccess(email: string, ip: string): Promise<void> {
      await byEmailAndIp.delete(pairKey(email, ip));
    },
  };
}

/** Adds one failure and returns the count; a limiter's "over the limit" rejection still counts. */
async function countFailure(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    return (await limiter.consume(key)).consumedPoints;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error.consumedPoints;
    throw error;
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** A plain fixed-window limit (register, password-reset requests). */
export function createLimit(
  kv: Kv,
  options: { name: string; points: number; durationSeconds: number },
) {
  const limiter = kv.rateLimiter(options);
  return async (key: string): Promise<void> => {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw rateLimited(retryAfterSeconds(error), { reason: 'RATE_LIMITED' });
      }
      throw error;
    }
  };
}
