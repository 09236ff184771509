import { ProviderError } from './provider-error.ts';

/**
 * The abort signal of one attempt: it fires when the caller aborts (with the caller's
 * reason) or when the attempt's timer runs out (with a `timeout` ProviderError), so the
 * upstream fetch stops either way and the router can tell the two apart.
 */
export interface AttemptControl {
  readonly signal: AbortSignal;
  /** (Re)starts the timer; a stream re-arms it for every chunk as an idle timeout. */
  arm(ms: number): void;
  disarm(): void;
  abort(reason?: unknown): void;
  dispose(): void;
}

export function createAttemptControl(provider: string, caller?: AbortSignal): AttemptControl {
  const controller = new AbortController();
  const forward = () => controller.abort(caller?.reason);
  if (caller?.aborted) forward();
  else caller?.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;

  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    signal: controller.signal,
    arm(ms) {
      disarm();
      timer = setTimeout(() => {
        controller.abort(
          new ProviderError({
            provider,
            kind: 'timeout',
            message: `${provider} did not answer within ${ms} ms`,
          }),
        );
      }, ms);
    },
    disarm,
    abort(reason) {
      controller.abort(reason);
    },
    dispose() {
      disarm();
      caller?.removeEventListener('abort', forward);
    },
  };
}
