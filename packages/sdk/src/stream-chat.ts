import type { RouterInputs, RouterOutputs } from '@phoenix/api/client';
import { TRPCClientError } from '@trpc/client';
import type { PhoenixClient } from './client.ts';

type Yielded<T> = T extends AsyncIterable<infer Event> ? Event : never;

/** `start`, then `delta`s, then `end` with the bill; see `gateway.chatStream`. */
export type ChatStreamEvent = Yielded<RouterOutputs['gateway']['chatStream']>;

/** The input of `gateway.chatStream`; the idempotency key is made up when left out. */
export type ChatStreamInput = Omit<RouterInputs['gateway']['chatStream'], 'idempotencyKey'> & {
  idempotencyKey?: string;
};

type Settled = { done: true; error?: unknown } | { done: false; event: ChatStreamEvent };

/** EventSource can only GET, so the input travels in the URL; the hub caps its size. */
function explained(error: unknown): TRPCClientError<never> {
  const status = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (status === 431) {
    return new TRPCClientError(
      'This conversation is too long to stream: a streamed input travels in the URL, and the hub refused its size (HTTP 431). Use gateway.chat, or raise HEADER_LIMIT_BYTES on the hub.',
      { cause: error instanceof Error ? error : undefined },
    );
  }
  return TRPCClientError.from(error as Error);
}

/**
 * Streams a chat completion as an async iterable: `for await (const e of streamChat(…))`.
 * Ends after the `end` event; throws the hub's typed error (a stream that broke after
 * tokens flowed throws `STREAM_INTERRUPTED`, never a clean end). Leaving the loop early,
 * or aborting `signal`, hangs up, and the hub bills only what was used. A dropped
 * connection is reported, not silently reconnected: asking again is the caller's call.
 */
export async function* streamChat(
  client: PhoenixClient,
  input: ChatStreamInput,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const pending: Settled[] = [];
  let wake: (() => void) | undefined;
  const push = (item: Settled) => {
    pending.push(item);
    wake?.();
  };
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const subscription = client.gateway.chatStream.subscribe(
    { ...input, idempotencyKey: input.idempotencyKey ?? globalThis.crypto.randomUUID() },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onData: (event) => push({ done: false, event }),
      onError: (error) => push({ done: true, error }),
      onComplete: () => push({ done: true }),
      onStopped: () => push({ done: true }),
      onConnectionStateChange: (state) => {
        if (state.state === 'connecting' && state.error) push({ done: true, error: state.error });
      },
    },
  );
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
        if (item.error) throw explained(item.error);
        return;
      }
      yield item.event;
      if (item.event.type === 'end') return;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  }
}
