import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Payer } from './payer.ts';
import { createQuotas } from './quotas.ts';

// The quotas alone, on the test kv (Redis when TEST_REDIS_URL is set): who is refused, and
// why, when the user and the API key stand differently against their limits.
const limits = { requestsPerMinute: 3, tokensPerDay: 100 };
const config = { gateway: { quotas: { FREE: limits, PREMIUM: limits } } } as const;
const payer: Payer = { userId: 'user-1', apiKeyId: 'key-1', tier: 'FREE' };
const NOON = new Date('2026-11-30T12:00:00Z');

let kv: TestKv;
afterEach(async () => {
  await kv.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('gateway quotas', () => {
  it("refuses on the key's own token count when the user is under theirs, and the other way round", async () => {
    kv = createTestKv();
    const quotas = createQuotas(kv, config);
    // Another user spent the key's 100 tokens today (the same day however late).
    await quotas.recordTokens(
      { ...payer, userId: 'user-2' },
      100,
      new Date('2026-11-30T00:00:01Z'),
    );
    expect(
      await kv.getMany(['gw:tpd:key:key-1:2026-11-30', 'gw:tpd:user:user-1:2026-11-30']),
    ).toEqual(['100', null]);
    expect(await refusal(quotas.admit(payer, NOON))).toMatchObject({
      kind: 'rate_limited',
      reason: 'TOKENS_PER_DAY',
      retryAfterSeconds: 12 * 3600,
    });
    expect(await refusal(quotas.admit({ ...payer, apiKeyId: 'key-3' }, NOON))).toBeNull();
    // The user's own count refuses whatever key they use.
    await quotas.recordTokens({ ...payer, apiKeyId: null }, 100, NOON);
    expect(await refusal(quotas.admit({ ...payer, apiKeyId: 'key-4' }, NOON))).toMatchObject({
      reason: 'TOKENS_PER_DAY',
    });
    // The next UTC day starts from nothing (another user: this one used its three a minute).
    const nextDay = new Date('2026-12-01T00:00:00Z');
    expect(await refusal(quotas.admit({ ...payer, userId: 'user-5' }, nextDay))).toBeNull();
  });

  it('answers the per-minute refusal first, and counts each subject once per call', async () => {
    kv = createTestKv();
    const quotas = createQuotas(kv, config);
    await quotas.recordTokens(payer, 500, NOON);
    // Over the daily tokens and, on the fourth call, over the per-minute limit too.
    for (let i = 0; i < 3; i++) {
      expect(await refusal(quotas.admit(payer, NOON))).toMatchObject({ reason: 'TOKENS_PER_DAY' });
    }
    expect(await refusal(quotas.admit(payer, NOON))).toMatchObject({
      reason: 'REQUESTS_PER_MINUTE',
    });
    // A key over its minute while its user is not: the key's refusal.
    const otherUser: Payer = { ...payer, userId: 'user-9' };
    expect(await refusal(quotas.admit(otherUser, NOON))).toMatchObject({
      reason: 'REQUESTS_PER_MINUTE',
    });
  });

  it('records nothing for a call that used no tokens', async () => {
    kv = createTestKv();
    const quotas = createQuotas(kv, config);
    await quotas.recordTokens(payer, 0, NOON);
    expect(await kv.getMany(['gw:tpd:user:user-1:2026-11-30'])).toEqual([null]);
  });
});
