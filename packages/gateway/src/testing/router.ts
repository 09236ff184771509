import type { Kv } from '@phoenix/kv';
import { MemoryKv } from '@phoenix/kv';
import type { CircuitOpened } from '../breaker.ts';
import type { GatewayConfig } from '../config.ts';
import { createProviderRegistry } from '../registry.ts';
import { createGatewayRouter } from '../router.ts';
import type { RouterOptions } from '../router-options.ts';
import type { RouteTarget } from '../types.ts';

/** A clock tests move by hand, so waits and cool-downs take no real time. */
export function manualClock(start = 1_700_000_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

export const KEYS: GatewayConfig['providers'] = {
  openai: { apiKey: 'sk-openai' },
  anthropic: { apiKey: 'sk-ant' },
  gemini: { apiKey: 'AIza' },
  cohere: { apiKey: 'co' },
  groq: { apiKey: 'gsk' },
};

/** A router with small timeouts, instant sleeps that are recorded, and a manual clock. */
export function testRouter(
  routes: Record<string, RouteTarget[]>,
  extra: {
    kv?: Kv;
    options?: Partial<RouterOptions>;
    providers?: GatewayConfig['providers'];
    onCircuitOpen?: (event: CircuitOpened) => void;
  } = {},
) {
  const clock = manualClock();
  const sleeps: number[] = [];
  const registry = createProviderRegistry({
    providers: extra.providers ?? KEYS,
    routes: routes as GatewayConfig['routes'],
  });
  const router = createGatewayRouter({
    registry,
    kv: extra.kv ?? new MemoryKv(),
    ...(extra.onCircuitOpen ? { onCircuitOpen: extra.onCircuitOpen } : {}),
    options: {
      attemptTimeoutMs: 150,
      streamIdleTimeoutMs: 150,
      backoffBaseMs: 10,
      backoffMaxMs: 100,
      random: () => 0.5,
      now: clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
      ...extra.options,
    },
  });
  return { router, clock, sleeps, registry };
}
