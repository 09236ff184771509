import type { Kv } from '@phoenix/kv';
import type { Attempt } from './attempt.ts';
import {
  type CircuitBreaker,
  type CircuitOpened,
  createCircuitBreaker,
  type ProviderHealth,
} from './breaker.ts';
import { type FallbackContext, runWithFallback } from './fallback.ts';
import { unknownRoute } from './gateway-error.ts';
import { ProviderError } from './provider-error.ts';
import type { ProviderRegistry } from './registry.ts';
import { DEFAULT_ROUTER_OPTIONS, type RouterOptions } from './router-options.ts';
import { deliver, type GatewayStream, openUntilFirstDelta } from './router-stream.ts';
import type { ChatResult, EmbedResult, RouteEmbedRequest, RouteRequest } from './types.ts';

export interface GatewayCallOptions {
  signal?: AbortSignal;
  /** Budget for this call, fallbacks included; the router's `deadlineMs` otherwise. */
  deadlineMs?: number;
}

export interface GatewayChatResult {
  result: ChatResult;
  attempts: readonly Attempt[];
}

export interface GatewayEmbedResult {
  result: EmbedResult;
  attempts: readonly Attempt[];
}

export interface ProviderReport extends ProviderHealth {
  available: boolean;
  reason?: string;
}

export interface GatewayRouter {
  chat(
    route: string,
    request: RouteRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayChatResult>;
  /** Resolves once the first token arrived (or the stream ended without one). */
  stream(
    route: string,
    request: RouteRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayStream>;
  /** Embeddings, with the same fallback, retries, breaker and deadline as a chat call. */
  embed(
    route: string,
    request: RouteEmbedRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayEmbedResult>;
  /** Circuit state, recent latency and error rate of every provider, for admins. */
  snapshot(): Promise<ProviderReport[]>;
  readonly breaker: CircuitBreaker;
}

export function createGatewayRouter(deps: {
  registry: ProviderRegistry;
  kv: Kv;
  options?: Partial<RouterOptions>;
  onCircuitOpen?: (event: CircuitOpened) => void;
}): GatewayRouter {
  const { registry, kv } = deps;
  const options: RouterOptions = { ...DEFAULT_ROUTER_OPTIONS, ...deps.options };
  const breaker = createCircuitBreaker({
    kv,
    now: options.now,
    options: options.breaker,
    ...(deps.onCircuitOpen ? { onOpen: deps.onCircuitOpen } : {}),
  });
  const ctx: FallbackContext = { registry, breaker, options };

  const plan = (route: string, call: GatewayCallOptions) => {
    const targets = registry.route(route);
    if (!targets) throw unknownRoute(route);
    return {
      targets,
      signal: call.signal,
      deadlineAt: options.now() + (call.deadlineMs ?? options.deadlineMs),
    };
  };

  return {
    breaker,

    async chat(route, request, call = {}) {
      const success = await runWithFallback(
        ctx,
        plan(route, call),
        async (adapter, target, control) => {
          try {
            const result = await adapter.chat(
              { ...request, model: target.model },
              { signal: control.signal },
            );
            return { value: result, usage: result.usage, costUsd: result.costUsd };
          } finally {
            control.dispose();
          }
        },
      );
      return { result: success.value, attempts: success.attempts };
    },

    async embed(route, request, call = {}) {
      const success = await runWithFallback(
        ctx,
        plan(route, call),
        async (adapter, target, control) => {
          try {
            if (!adapter.embed) {
              // A family without an embeddings API is up, just not for this: move on at once.
              throw new ProviderError({
                provider: target.provider,
                kind: 'not_found',
                message: `${target.provider} has no embeddings API`,
              });
            }
            const result = await adapter.embed(
              { ...request, model: target.model },
              { signal: control.signal },
            );
            return { value: result, usage: result.usage };
          } finally {
            control.dispose();
          }
        },
      );
      return { result: success.value, attempts: success.attempts };
    },

    async stream(route, request, call = {}) {
      const success = await runWithFallback(
        ctx,
        plan(route, call),
        async (adapter, target, control) => {
          const source = adapter.stream(
            { ...request, model: target.model },
            { signal: control.signal },
          );
          return { value: await openUntilFirstDelta(source, control) };
        },
      );
      const { events, outcome } = deliver({
        ctx,
        opened: success.value,
        attempt: success.attempt,
        messages: request.messages,
        signal: call.signal,
      });
      return {
        provider: success.target.provider,
        model: success.target.model,
        attempts: success.attempts,
        events,
        outcome,
      };
    },

    async snapshot() {
      const statuses = registry.providers();
      const health = await breaker.snapshot(statuses.map((s) => s.name));
      return health.map((h, i) => ({
        ...h,
        available: statuses[i]?.available ?? false,
        ...(statuses[i]?.reason ? { reason: statuses[i]?.reason } : {}),
      }));
    },
  };
}
