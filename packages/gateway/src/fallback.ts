import type { Attempt } from './attempt.ts';
import { type AttemptControl, createAttemptControl } from './attempt-control.ts';
import { backoffDelay } from './backoff.ts';
import type { Admission, CircuitBreaker, Outcome } from './breaker.ts';
import { allProvidersFailed, deadlineExceeded, providerRejected } from './gateway-error.ts';
import { ProviderError } from './provider-error.ts';
import type { ProviderRegistry } from './registry.ts';
import type { RouterOptions } from './router-options.ts';
import type { ProviderAdapter, RouteTarget, Usage } from './types.ts';

export interface FallbackContext {
  registry: ProviderRegistry;
  breaker: CircuitBreaker;
  options: RouterOptions;
}

export interface CallPlan {
  targets: readonly RouteTarget[];
  signal?: AbortSignal | undefined;
  deadlineAt: number;
}

/** What one attempt produced; a stream keeps its control alive past this point. */
export interface AttemptValue<T> {
  value: T;
  usage?: Usage | undefined;
  costUsd?: number | undefined;
}

export type AttemptFn<T> = (
  adapter: ProviderAdapter,
  target: RouteTarget,
  control: AttemptControl,
) => Promise<AttemptValue<T>>;

export interface FallbackSuccess<T> {
  value: T;
  target: RouteTarget;
  attempts: Attempt[];
  /** The attempt that succeeded, for a stream to complete once it ends. */
  attempt: Attempt;
}

/**
 * Tries each target in order. Retryable failures (network, timeout, 408, 409, 429, 5xx)
 * are retried with backoff while the deadline allows; auth and not-found failures move
 * on at once; a 400 is the caller's problem and stops everything.
 */
export async function runWithFallback<T>(
  ctx: FallbackContext,
  plan: CallPlan,
  attemptFn: AttemptFn<T>,
): Promise<FallbackSuccess<T>> {
  const { registry, breaker, options } = ctx;
  const { now } = options;
  const attempts: Attempt[] = [];
  let last: unknown;

  for (const target of plan.targets) {
    const adapter = registry.get(target.provider);
    if (!adapter) {
      const reason = registry.skipReason(target.provider) ?? 'not available';
      attempts.push({ ...target, status: 'skipped', reason, latencyMs: 0 });
      continue;
    }
    for (let retry = 0; ; retry++) {
      plan.signal?.throwIfAborted();
      const remaining = plan.deadlineAt - now();
      if (remaining <= 0) throw deadlineExceeded(attempts, last);

      const admission = await admit(breaker, target.provider);
      if (!admission.allowed) {
        attempts.push({ ...target, status: 'skipped', reason: admission.reason, latencyMs: 0 });
        break;
      }
      const probe = admission.probe;
      const control = createAttemptControl(target.provider, plan.signal);
      control.arm(Math.min(options.attemptTimeoutMs, remaining));
      const started = now();
      try {
        const result = await attemptFn(adapter, target, control);
        const latencyMs = now() - started;
        const recorded = record(breaker, target.provider, { failed: false, latencyMs, probe });
        // A probe's success closes the circuit before the answer; an ordinary success is
        // only counted, and not waiting lets the count share the store's next round trip
        // (the settle's token count) instead of taking one of its own. `record` never throws.
        if (probe) await recorded;
        const attempt: Attempt = {
          ...target,
          status: 'ok',
          latencyMs,
          ...(result.usage ? { usage: result.usage } : {}),
          ...(result.costUsd === undefined ? {} : { costUsd: result.costUsd }),
        };
        attempts.push(attempt);
        return { value: result.value, target, attempts, attempt };
      } catch (thrown) {
        control.abort();
        control.dispose();
        const latencyMs = now() - started;
        if (plan.signal?.aborted) {
          await probe?.release().catch(() => false);
          throw plan.signal.reason;
        }
        const error = asProviderError(thrown, target.provider);
        last = error;
        attempts.push({
          ...target,
          status: 'error',
          errorKind: error.kind,
          reason: error.message,
          ...(error.status === undefined ? {} : { httpStatus: error.status }),
          latencyMs,
        });
        // A provider that answers 400 or 404 is up: that is not a failure of its health.
        const healthy = error.kind === 'bad_request' || error.kind === 'not_found';
        await record(breaker, target.provider, {
          failed: !healthy,
          latencyMs,
          probe,
          retryAfterMs: error.retryAfterMs,
        });
        if (error.kind === 'bad_request') throw providerRejected(error, attempts);
        // A probe gets one try: its answer decides the circuit, not a retry.
        if (!error.retryable || probe || retry >= options.maxRetries) break;
        const wait = retryWait(error, { retry, options, remaining: plan.deadlineAt - now() });
        if (wait === undefined) break;
        await sleep(options, wait, plan.signal);
      }
    }
  }
  throw allProvidersFailed(attempts, last);
}

/** How long to wait before retrying the same target, or undefined to move on now. */
function retryWait(
  error: ProviderError,
  at: { retry: number; options: RouterOptions; remaining: number },
): number | undefined {
  const { retry, options, remaining } = at;
  if (error.retryAfterMs !== undefined) {
    // Honour the provider's wait when it fits; otherwise the next target is the faster path.
    const fits = error.retryAfterMs <= options.maxRetryAfterMs && error.retryAfterMs < remaining;
    return fits ? error.retryAfterMs : undefined;
  }
  const wait = backoffDelay(
    retry,
    { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs },
    options.random,
  );
  return wait < remaining ? wait : undefined;
}

async function sleep(options: RouterOptions, ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await options.sleep(ms, signal);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

function asProviderError(thrown: unknown, provider: string): ProviderError {
  if (thrown instanceof ProviderError) return thrown;
  return new ProviderError({
    provider,
    kind: 'unknown',
    retryable: false,
    message: `${provider} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    cause: thrown,
  });
}

/** The breaker lives in a shared store; if that store fails, calls go through rather than stop. */
async function admit(breaker: CircuitBreaker, provider: string): Promise<Admission> {
  try {
    return await breaker.admit(provider);
  } catch {
    return { allowed: true };
  }
}

export async function record(
  breaker: CircuitBreaker,
  provider: string,
  outcome: Outcome & { failed: boolean },
): Promise<void> {
  try {
    if (!outcome.failed) await breaker.recordSuccess(provider, outcome);
    else await breaker.recordFailure(provider, outcome);
  } catch {
    await outcome.probe?.release().catch(() => false);
  }
}
