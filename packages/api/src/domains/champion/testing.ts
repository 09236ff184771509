import type { Environment } from '@phoenix/config';
import type { PhoenixClient } from '@phoenix/sdk';
import { expect } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../testing/index.ts';

export const WAIT = { timeout: 60_000, interval: 100 };

/** A short sales call with labelled speakers, as a seller would paste it. */
export const TRANSCRIPT = [
  'Sam: Hi Alex, thanks for taking the time today. I saw your team doubled this year.',
  'Alex: Yes, it has been a busy year for us.',
  'Sam: What is the hardest part of onboarding all those new sellers?',
  'Alex: Mostly ramp time. New people take months to close their first deal.',
  'Sam: How do you measure ramp time today?',
  'Alex: First closed deal, roughly. But honestly the price of tools like yours is too high for us.',
  'Sam: I understand the budget concern. Teams like yours cut ramp time by a third, which pays for the licence in one quarter.',
  'Alex: That is interesting.',
  'Sam: Shall we schedule a pilot with five of your new sellers next Tuesday as the next step?',
  'Alex: Sure, send me the details.',
].join('\n');

/** A clock the tests move by hand: inactivity and session length without sleeping. */
export function manualClock(start = Date.parse('2026-06-01T08:00:00Z')) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** A server for the champion tests: a job worker, roomy sign-up and gateway limits. */
export function startChampionServer(
  options: Omit<TestServerOptions, 'env'> & {
    env?: Partial<Record<keyof Environment, string>>;
  } = {},
): Promise<TestServer> {
  return startTestServer({
    worker: true,
    ...options,
    env: {
      AUTH_REGISTER_PER_IP_PER_HOUR: '1000',
      GATEWAY_FREE_REQUESTS_PER_MINUTE: '1000',
      GATEWAY_FREE_TOKENS_PER_DAY: '10000000',
      GATEWAY_BACKOFF_BASE_MS: '5',
      GATEWAY_BREAKER_FAILURE_THRESHOLD: '100000',
      GATEWAY_BREAKER_MIN_REQUESTS: '100000',
      ...options.env,
    },
  });
}

/** Waits until the champion's analysis ends, and answers the champion. */
export async function analysed(client: PhoenixClient, id: string) {
  await expect
    .poll(async () => (await client.champions.get.query({ id })).status, WAIT)
    .toMatch(/^(ready|failed)$/);
  return client.champions.get.query({ id });
}
