import type { Config } from '@phoenix/config';
import { rateLimited } from '@phoenix/errors';
import { type Kv, RateLimiterRes } from '@phoenix/kv';
import type { Payer } from './payer.ts';

const HOUR_MS = 3_600_000;

const DAY_MS = 86_400_000;
let lastDay = { number: Number.NaN, text: '' };

/** `YYYY-MM-DD` in UTC; the text is made once per day, not twice per call. */
function utcDay(now: Date): string {
  const number = Math.floor(now.getTime() / DAY_MS);
  if (number !== lastDay.number) lastDay = { number, text: now.toISOString().slice(0, 10) };
  return lastDay.text;
}

function secondsUntilUtcMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Per-tier limits in the kv, shared by every process: requests per minute (per user and
 * per API key) and tokens per UTC day (per user and per API key).
 */
export function createQuotas(kv: Kv, config: { gateway: Pick<Config['gateway'], 'quotas'> }) {
  const { quotas } = config.gateway;
  const perMinute = {
    FREE: kv.rateLimiter({
      name: 'gw:rpm:FREE',
      points: quotas.FREE.requestsPerMinute,
      durationSeconds: 60,
    }),
    PREMIUM: kv.rateLimiter({
      name: 'gw:rpm:PREMIUM',
      points: quotas.PREMIUM.requestsPerMinute,
      durationSeconds: 60,
    }),
  };
  const subjects = (payer: Payer) => [
    `user:${payer.userId}`,
    ...(payer.apiKeyId ? [`key:${payer.apiKeyId}`] : []),
  ];

  return {
    /**
     * Counts the request and refuses it when a limit is reached, saying when it resets.
     * Every counter is asked at once: on Redis, one consume per subject and one read of
     * both token counts, in one round trip.
     */
    async admit(payer: Payer, now = new Date()): Promise<void> {
      const day = utcDay(now);
      const counted = subjects(payer);
      const asks: [Promise<(string | null)[]>, ...Promise<RateLimiterRes>[]] = [
        kv.getMany(counted.map((subject) => `gw:tpd:${subject}:${day}`)),
        ...counted.map((subject) => perMinute[payer.tier].consume(subject)),
      ];
      const [used, ...consumed] = await Promise.allSettled(asks);
      // The user's refusal comes first when both refuse; all settle before answering.
      for (const [i, outcome] of consumed.entries()) {
        if (outcome.status === 'rejected') {
          const error: unknown = outcome.reason;
          if (!(error instanceof RateLimiterRes)) throw error;
          throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)), {
            reason: 'REQUESTS_PER_MINUTE',
          });
        }
        if (used.status === 'rejected') throw used.reason;
        if (Number(used.value[i] ?? 0) >= quotas[payer.tier].tokensPerDay) {
          throw rateLimited(secondsUntilUtcMidnight(now), { reason: 'TOKENS_PER_DAY' });
        }
      }
      if (used.status === 'rejected') throw used.reason;
    },

    async recordTokens(payer: Payer, tokens: number, now = new Date()): Promise<void> {
      if (tokens <= 0) return;
      const day = utcDay(now);
      const ttlMs = secondsUntilUtcMidnight(now) * 1000 + HOUR_MS;
      await kv.incrementMany(
        subjects(payer).map((subject) => ({ key: `gw:tpd:${subject}:${day}`, by: tokens, ttlMs })),
      );
    },
  };
}

export type Quotas = ReturnType<typeof createQuotas>;
