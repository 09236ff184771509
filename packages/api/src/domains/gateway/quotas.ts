import type { Config } from '@phoenix/config';
import { rateLimited } from '@phoenix/errors';
import { type Kv, RateLimiterRes } from '@phoenix/kv';
import type { Payer } from './payer.ts';

const HOUR_MS = 3_600_000;

function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function secondsUntilUtcMidnight(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Per-tier limits in the kv, shared by every process: requests per minute (per user and
 * per API key) and tokens per UTC day (per user and per API key).
 */
export function createQuotas(kv: Kv, config: Pick<Config, 'gateway'>) {
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
     * Every counter is asked at once (one round trip with a pipelining store).
     */
    async admit(payer: Payer, now = new Date()): Promise<void> {
      const limits = subjects(payer).map(async (subject) => {
        const [consumed, used] = await Promise.allSettled([
          perMinute[payer.tier].consume(subject),
          kv.get(`gw:tpd:${subject}:${utcDay(now)}`),
        ]);
        if (consumed.status === 'rejected') {
          const error: unknown = consumed.reason;
          if (!(error instanceof RateLimiterRes)) throw error;
          throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)), {
            reason: 'REQUESTS_PER_MINUTE',
          });
        }
        if (used.status === 'rejected') throw used.reason;
        if (Number(used.value ?? 0) >= quotas[payer.tier].tokensPerDay) {
          throw rateLimited(secondsUntilUtcMidnight(now), { reason: 'TOKENS_PER_DAY' });
        }
      });
      // The user's refusal comes first when both refuse; all settle before answering.
      const outcomes = await Promise.allSettled(limits);
      const refused = outcomes.find((o) => o.status === 'rejected');
      if (refused) throw refused.reason;
    },

    async recordTokens(payer: Payer, tokens: number, now = new Date()): Promise<void> {
      if (tokens <= 0) return;
      const ttlMs = secondsUntilUtcMidnight(now) * 1000 + HOUR_MS;
      await Promise.all(
        subjects(payer).map((subject) =>
          kv.increment(`gw:tpd:${subject}:${utcDay(now)}`, { by: tokens, ttlMs }),
        ),
      );
    },
  };
}

export type Quotas = ReturnType<typeof createQuotas>;
