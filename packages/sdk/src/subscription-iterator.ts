/** What a tRPC `subscribe` call takes, as far as turning it into an iterator needs. */
export interface SubscriptionHandlers<T> {
  signal?: AbortSignal;
  onData: (event: T) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
  onStopped: () => void;
  onConnectionStateChange: (state: { state: string; error?: unknown }) => void;
}

type Settled<T> = { done: true; error?: unknown } | { done: false; event: T };

/**
 * A tRPC subscription as an async iterable. Ends after the event `isLast` accepts; throws
 * the subscription's error (through `explain`). Leaving the loop early, or aborting
 * `signal`, unsubscribes (the hub sees the hang-up). A dropped connection is reported, not
 * silently reconnected.
 */
export async function* iterateSubscription<T>(
  subscribe: (handlers: SubscriptionHandlers<T>) => { unsubscribe(): void },
  options: {
    signal?: AbortSignal | undefined;
    isLast: (event: T) => boolean;
    explain: (error: unknown) => unknown;
  },
): AsyncGenerator<T, void, undefined> {
  const pending: Settled<T>[] = [];
  let wake: (() => void) | undefined;
  const push = (item: Settled<T>) => {
    pending.push(item);
    wake?.();
  };
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const subscription = subscribe({
    ...(options.signal ? { signal: options.signal } : {}),
    onData: (event) => push({ done: false, event }),
    onError: (error) => push({ done: true, error }),
    onComplete: () => push({ done: true }),
    onStopped: () => push({ done: true }),
    onConnectionStateChange: (state) => {
      if (state.state === 'connecting' && state.error) push({ done: true, error: state.error });
    },
  });
  try {
    for (;;) {
      const item = pending.shift();
      if (!item) {
        if (options.signal?.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      if (item.done) {
        if (item.error) throw options.explain(item.error);
        return;
      }
      yield item.event;
      if (options.isLast(item.event)) return;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  }
}
