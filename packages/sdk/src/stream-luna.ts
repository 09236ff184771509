import type { RouterInputs, RouterOutputs } from '@phoenix/api/client';
import type { PhoenixClient } from './client.ts';
import { explained } from './stream-chat.ts';
import { iterateSubscription } from './subscription-iterator.ts';

type Yielded<T> = T extends AsyncIterable<infer Event> ? Event : never;

/** `message` (recorded), `delta`s of the coach's answer, then `reply` with the result. */
export type LunaMessageStreamEvent = Yielded<RouterOutputs['luna']['messages']['sendStream']>;

/** The input of `luna.messages.sendStream`; the idempotency key is made up when left out. */
export type LunaMessageStreamInput = Omit<
  RouterInputs['luna']['messages']['sendStream'],
  'idempotencyKey'
> & { idempotencyKey?: string };

/**
 * Sends a message to Luna and streams the answer: `for await (const e of
 * streamLunaMessage(client, { conversationId, content }))`. Ends after `reply`; throws
 * the hub's typed error (no energy, unknown conversation).
 */
export function streamLunaMessage(
  client: PhoenixClient,
  input: LunaMessageStreamInput,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<LunaMessageStreamEvent, void, undefined> {
  return iterateSubscription<LunaMessageStreamEvent>(
    (handlers) =>
      client.luna.messages.sendStream.subscribe(
        { ...input, idempotencyKey: input.idempotencyKey ?? globalThis.crypto.randomUUID() },
        handlers,
      ),
    { signal: options.signal, isLast: (event) => event.type === 'reply', explain: explained },
  );
}
