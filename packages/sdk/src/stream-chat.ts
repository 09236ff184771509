import type { RouterInputs, RouterOutputs } from '@phoenix/api/client';
import { TRPCClientError } from '@trpc/client';
import type { PhoenixClient } from './client.ts';
import { iterateSubscription } from './subscription-iterator.ts';

type Yielded<T> = T extends AsyncIterable<infer Event> ? Event : never;

/** `start`, then `delta`s, then `end` with the bill; see `gateway.chatStream`. */
export type ChatStreamEvent = Yielded<RouterOutputs['gateway']['chatStream']>;

/** The input of `gateway.chatStream`; the idempotency key is made up when left out. */
export type ChatStreamInput = Omit<RouterInputs['gateway']['chatStream'], 'idempotencyKey'> & {
  idempotencyKey?: string;
};

/** EventSource can only GET, so the input travels in the URL; the hub caps its size. */
export function explained(error: unknown): TRPCClientError<never> {
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
export function streamChat(
  client: PhoenixClient,
  input: ChatStreamInput,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ChatStreamEvent, void, undefined> {
  return iterateSubscription<ChatStreamEvent>(
    (handlers) =>
      client.gateway.chatStream.subscribe(
        { ...input, idempotencyKey: input.idempotencyKey ?? globalThis.crypto.randomUUID() },
        handlers,
      ),
    { signal: options.signal, isLast: (event) => event.type === 'end', explain: explained },
  );
}
