import type { RouterInputs, RouterOutputs } from '@phoenix/api/client';
import type { PhoenixClient } from './client.ts';
import { explained } from './stream-chat.ts';
import { iterateSubscription } from './subscription-iterator.ts';

type Yielded<T> = T extends AsyncIterable<infer Event> ? Event : never;

/** `turn` (the seller's, recorded), the prospect's `delta`s, then `result` with the score. */
export type TrainingReplyStreamEvent = Yielded<RouterOutputs['training']['respondStream']>;

/** The input of `training.respondStream`; the idempotency key is made up when left out. */
export type TrainingReplyStreamInput = Omit<
  RouterInputs['training']['respondStream'],
  'idempotencyKey'
> & { idempotencyKey?: string };

/**
 * Sends the seller's message in a training session and streams the prospect's answer:
 * `for await (const e of streamTrainingReply(client, { sessionId, message }))`. Ends after
 * `result` (the scored turn); throws the hub's typed error (session ended, not found).
 */
export function streamTrainingReply(
  client: PhoenixClient,
  input: TrainingReplyStreamInput,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<TrainingReplyStreamEvent, void, undefined> {
  return iterateSubscription<TrainingReplyStreamEvent>(
    (handlers) =>
      client.training.respondStream.subscribe(
        { ...input, idempotencyKey: input.idempotencyKey ?? globalThis.crypto.randomUUID() },
        handlers,
      ),
    { signal: options.signal, isLast: (event) => event.type === 'result', explain: explained },
  );
}

/** One state of a champion's analysis, as `champions.progress` sends it. */
export type ChampionProgressEvent = Yielded<RouterOutputs['champions']['progress']>;

/**
 * Follows a champion's analysis: yields its status and progress now, then at each change,
 * and ends once it is `ready` or `failed` (or not running).
 */
export function watchChampionProgress(
  client: PhoenixClient,
  input: { championId: string },
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ChampionProgressEvent, void, undefined> {
  return iterateSubscription<ChampionProgressEvent>(
    (handlers) => client.champions.progress.subscribe(input, handlers),
    {
      signal: options.signal,
      isLast: (event) => ['ready', 'failed', 'uploaded'].includes(event.status),
      explain: explained,
    },
  );
}
