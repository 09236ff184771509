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

/** The locks one failed login set: an email at this address, or the address itself. */
export interface LocksSet {
  account: boolean;
  ip: boolean;
}

/** One password check that has already been paid for; tell it how the check went. */
export interface LoginAttempt {
  /** The password matched: the consecutive count starts again and the address gets its point back. */
  succeeded(): Promise<void>;
  /** The password did not match: the points stay spent; says which lock this very failure set. */
  failed(): Promise<LocksSet>;
}

/**
 * Brute-force protection after rate-limiter-flexible's login recipe: a per-email+IP
 * counter of consecutive failures (reset by a success) and a slow per-IP counter of
 * failures. State lives in the kv, so every server process sees the same counts.
 *
 * Unlike the recipe (read the counters, check the hash, then count the failure), a
 * point of each counter is consumed *before* the hash is checked: consume is one atomic
 * step in the kv, so however many guesses arrive at once, on however many processes, at
 * most `maxConsecutiveFailures` of them reach the hash. A success gives the points back
 * (the pair counter is reset; the address's point is rewarded), so the per-IP counter
 * counts failures, not attempts: a busy office behind one address is not locked out by
 * its own successful logins. An attempt that ends in neither (a store failure between
 * the two) keeps its points: when unsure, the lock errs on the closed side.
 */
export function createLoginThrottle(kv: Kv, limits: LoginThrottleLimits) {
  // Counters only: the lock is set explicitly with block() when a failure reaches the
  // count, so it lasts lockSeconds from that failure rather than the counting window.
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
    /**
     * Takes one point of both counters for a password check about to happen, or throws
     * RATE_LIMITED (`LOGIN_LOCKED`) with a retry-after when either has none left.
     */
    async begin(email: string, ip: string): Promise<LoginAttempt> {
      const pair = pairKey(email, ip);
      // While the last allowed guess is still being checked its lock is not set yet, so
      // the window's remaining time would overstate the wait: a lock never exceeds lockSeconds.
      const pairTaken = await take(byEmailAndIp, pair, limits.lockSeconds);
      let ipTaken: RateLimiterRes;
      try {
        ipTaken = await take(byIp, ip, DAY_SECONDS);
      } catch (error) {
        await byEmailAndIp.reward(pair, 1);
        throw error;
      }
      return {
        async succeeded() {
          await Promise.all([byEmailAndIp.delete(pair), byIp.reward(ip, 1)]);
        },
        async failed() {
          const locks = {
            account: pairTaken.consumedPoints === limits.maxConsecutiveFailures,
            ip: ipTaken.consumedPoints === limits.maxFailuresPerIpPerDay,
          };
          await Promise.all([
            locks.account ? byEmailAndIp.block(pair, limits.lockSeconds) : null,
            locks.ip ? byIp.block(ip, DAY_SECONDS) : null,
          ]);
          return locks;
        },
      };
    },
  };
}

/**
 * Consumes one point, or throws LOGIN_LOCKED when the counter had none left. A refused
 * point is not given back: block() overwrites the count when a lock is set, and a late
 * give-back would then open the lock one guess early.
 */
async function take(
  limiter: RateLimiterAbstract,
  key: string,
  maxWaitSeconds: number,
): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const wait = Math.min(retryAfterSeconds(error), maxWaitSeconds);
    throw rateLimited(wait, { reason: 'LOGIN_LOCKED' });
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
