import type { Environment } from '@phoenix/config';
import { startTestServer, type TestServer } from '../../testing/index.ts';

/** A clock the tests move by hand (`clock.t += ...`): regeneration without sleeping. */
export function manualClock(start = Date.parse('2026-06-01T08:00:00Z')) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/**
 * A server for Luna's tests: on `clock`, with room for many sign-ups and gateway calls,
 * and the energy rules of the test (`LUNA_*`) on top.
 */
export function startLunaTestServer(options: {
  clock: ReturnType<typeof manualClock>;
  env: Partial<Record<keyof Environment, string>>;
  worker?: boolean;
}): Promise<TestServer> {
  return startTestServer({
    clock: options.clock,
    ...(options.worker ? { worker: true } : {}),
    env: {
      AUTH_REGISTER_PER_IP_PER_HOUR: '1000',
      GATEWAY_FREE_REQUESTS_PER_MINUTE: '1000',
      ...options.env,
    },
  });
}
