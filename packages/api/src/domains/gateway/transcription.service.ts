import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isUniqueViolation } from '@phoenix/db';
import { conflict, type DomainError } from '@phoenix/errors';
import type { Attempt, TranscriptSegment } from '@phoenix/gateway';
import { z } from 'zod';
import { storableJson, storableText } from '../../schemas/index.ts';
import { refundAndCloseFailed, reserveAndOpen } from './ledger-statements.ts';
import { settleAndWarnLow } from './low-credits.ts';
import { gatewayParts } from './parts.ts';
import type { Payer } from './payer.ts';
import { audioCostOf, createTranscribePriceTable } from './pricing.ts';
import { attemptsOf, type Deps } from './request-lifecycle.ts';

export const DEFAULT_TRANSCRIBE_ROUTE = 'transcribe.default';

/** One piece of a recording: a file (as `prepareAudio` cuts them) or bytes already in memory. */
export type TranscriptionChunk = {
  /** Where this piece starts in the whole recording, in seconds. */
  startSeconds: number;
  /** Its measured length: what is reserved, at the route's dearest price, before a provider hears it. */
  durationSeconds: number;
  /** `audio/wav` (the media pipeline's output) by default. */
  mimeType?: string;
} & ({ path: string } | { audio: Uint8Array });

export interface TranscribeAudioInput {
  payer: Payer;
  chunks: readonly TranscriptionChunk[];
  /** `transcribe.default` unless named. */
  route?: string;
  /**
   * Makes the whole transcription safe to run again (a retried job): chunk `i` is billed
   * once under `<key>:<i>`, and a chunk already transcribed is read back, not sent again.
   */
  idempotencyKey?: string;
  language?: string;
  signal?: AbortSignal;
}

/** A segment of the whole recording: times from its start, speakers as the provider named them. */
export interface RecordingSegment extends TranscriptSegment {
  chunk: number;
}

export interface TranscriptionResult {
  text: string;
  segments: RecordingSegment[];
  /** Seconds of audio transcribed, as the providers reported them. */
  durationSeconds: number;
  /** Every chunk's segments carry the provider's speaker labels (labels are per chunk). */
  diarized: boolean;
  /** What the whole transcription cost, chunks replayed from an earlier run included. */
  creditsCharged: number;
  /** One gateway request per chunk, in order. */
  requestIds: string[];
  providers: string[];
}

const chunkResultSchema = z.object({
  text: z.string(),
  segments: z.array(
    z.object({
      start: z.number(),
      end: z.number(),
      text: z.string(),
      speaker: z.string().optional(),
    }),
  ),
  durationSeconds: z.number(),
  diarized: z.boolean(),
  provider: z.string(),
  model: z.string(),
  creditsCharged: z.int(),
  requestId: z.string(),
});
type ChunkResult = z.infer<typeof chunkResultSchema>;

/**
 * Speech to text on behalf of a user, billed per audio minute like chat is per token:
 * for each chunk, the most any target of the route could cost for its measured duration
 * is reserved before a provider is contacted (INSUFFICIENT_CREDITS otherwise), the
 * minutes the answering provider reports are billed (never more than reserved), the rest
 * refunded; a chunk that fails on every provider costs nothing and fails the call. With an
 * idempotency key, a call run again bills and sends only the chunks not yet done.
 */
export async function transcribeAudio(
  deps: Deps,
  input: TranscribeAudioInput,
): Promise<TranscriptionResult> {
  const route = input.route ?? DEFAULT_TRANSCRIBE_ROUTE;
  await gatewayParts(deps).quotas.admit(input.payer);
  const results: ChunkResult[] = [];
  for (const [index, chunk] of input.chunks.entries()) {
    const key = input.idempotencyKey ? `${input.idempotencyKey}:${index}` : null;
    results.push(await transcribeChunk(deps, { input, route, chunk, key }));
  }
  const segments = results.flatMap((result, index) => {
    const offset = input.chunks[index]?.startSeconds ?? 0;
    return result.segments.map((s) => ({
      ...s,
      start: round(s.start + offset),
      end: round(s.end + offset),
      chunk: index,
    }));
  });
  return {
    text: results
      .map((r) => r.text)
      .filter(Boolean)
      .join(' '),
    segments,
    durationSeconds: round(results.reduce((sum, r) => sum + r.durationSeconds, 0)),
    diarized: results.length > 0 && results.every((r) => r.diarized),
    creditsCharged: results.reduce((sum, r) => sum + r.creditsCharged, 0),
    requestIds: results.map((r) => r.requestId),
    providers: [...new Set(results.map((r) => r.provider))],
  };
}

async function transcribeChunk(
  deps: Deps,
  at: { input: TranscribeAudioInput; route: string; chunk: TranscriptionChunk; key: string | null },
): Promise<ChunkResult> {
  const { input, route, chunk, key } = at;
  const { payer } = input;
  if (key) {
    const previous = await replay(deps, { userId: payer.userId, key });
    if (previous) return previous;
  }
  const prices = createTranscribePriceTable(deps.config);
  const reserved = maxCostFor(deps, { route, prices, seconds: chunk.durationSeconds });
  const id = randomUUID();
  const started = performance.now();
  try {
    await reserveAndOpen(deps.db, {
      id,
      userId: payer.userId,
      apiKeyId: payer.apiKeyId,
      route,
      reserved,
      idempotencyKey: key,
      prompt: null,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw inProgress();
    throw error;
  }
  let attempts: readonly Attempt[] = [];
  try {
    const audio = 'audio' in chunk ? chunk.audio : await readFile(chunk.path);
    const answer = await deps.gateway.router.transcribe(
      route,
      {
        audio,
        fileName: 'audio.wav',
        mimeType: chunk.mimeType ?? 'audio/wav',
        durationSeconds: chunk.durationSeconds,
        ...(input.language ? { language: input.language } : {}),
      },
      input.signal ? { signal: input.signal } : {},
    );
    attempts = answer.attempts;
    const { result } = answer;
    const target = attempts.findLast((a) => a.status === 'ok') ?? result;
    const charged = Math.min(
      reserved,
      audioCostOf(prices(target.provider, target.model), result.durationSeconds),
    );
    const done: ChunkResult = {
      text: storableText(result.text),
      segments: result.segments.map((s) => ({
        start: s.start,
        end: s.end,
        text: storableText(s.text),
        ...(s.speaker === undefined ? {} : { speaker: storableText(s.speaker) }),
      })),
      durationSeconds: result.durationSeconds,
      diarized: result.diarized,
      provider: storableText(result.provider),
      model: storableText(result.model),
      creditsCharged: charged,
      requestId: id,
    };
    await settleAndWarnLow(deps, {
      id,
      capability: 'transcribe',
      userId: payer.userId,
      refund: reserved - charged,
      status: 'ok',
      provider: done.provider,
      model: done.model,
      inputTokens: 0,
      outputTokens: 0,
      charged,
      latencyMs: Math.round(performance.now() - started),
      attempts: storableJson(attempts),
      response: storableJson(done),
    });
    deps.metrics.gatewayCalls.inc({ route, provider: target.provider, status: 'ok' });
    deps.metrics.gatewayCredits.inc({ provider: target.provider }, charged);
    return done;
  } catch (error) {
    const closed = await refundAndCloseFailed(deps.db, {
      id,
      userId: payer.userId,
      refund: reserved,
      latencyMs: Math.round(performance.now() - started),
      attempts: storableJson(attemptsOf(error, attempts)),
    });
    if (closed) deps.metrics.gatewayCalls.inc({ route, provider: 'none', status: 'failed' });
    throw error;
  }
}

/** The dearest target of the route that can be called, for this many seconds. */
function maxCostFor(
  deps: Deps,
  at: { route: string; prices: (provider: string, model: string) => number; seconds: number },
): number {
  const targets = deps.gateway.registry.route(at.route) ?? [];
  return targets
    .filter((t) => deps.gateway.registry.get(t.provider))
    .reduce((max, t) => Math.max(max, audioCostOf(at.prices(t.provider, t.model), at.seconds)), 0);
}

const inProgress = (): DomainError =>
  conflict('A transcription with this idempotency key is still running', {
    reason: 'IDEMPOTENCY_IN_PROGRESS',
  });

/** A chunk done under this key before; a failed one is released to be tried again. */
async function replay(
  deps: Deps,
  at: { userId: string; key: string },
): Promise<ChunkResult | null> {
  const previous = await deps.db
    .selectFrom('gatewayRequests')
    .select(['id', 'status', 'response'])
    .where('userId', '=', at.userId)
    .where('idempotencyKey', '=', at.key)
    .executeTakeFirst();
  if (!previous) return null;
  if (previous.status === 'pending') throw inProgress();
  if (previous.status === 'ok') return chunkResultSchema.parse(previous.response);
  await deps.db
    .updateTable('gatewayRequests')
    .set({ idempotencyKey: null })
    .where('id', '=', previous.id)
    .execute();
  return null;
}

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
