import { type ChampionStep, type Database, type Kysely, sql } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import { prepareAudio } from '../../platform/media/index.ts';
import { embedTexts, type Payer, transcribeAudio } from '../gateway/index.ts';
import { DIARIZE, EXTRACT } from './prompts.ts';
import { askStructured } from './structured.ts';

/** A step that cannot succeed by being retried: the champion fails with this reason. */
export class StepFailure extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'StepFailure';
  }
}

/** What every step knows: the champion being analysed and who pays for its AI calls. */
export interface StepContext {
  deps: AppDeps;
  payer: Payer;
  /**
   * The analysis job's id: a step's model calls are keyed by it, so a run of the same job
   * again (a retry after the call was paid but before the step was stored, a worker that
   * crashed) replays the paid answers instead of paying twice. A new analysis is a new job.
   */
  runId: string;
  champion: {
    id: string;
    userId: string;
    source: 'transcript' | 'recording';
    recordingKey: string | null;
  };
}

/**
 * Records a step as done together with its output, in one transaction. The step row is
 * written first: when it already exists (a duplicate run finishing late), nothing else
 * is written, so a step's output is stored exactly once.
 */
async function completeStep(
  ctx: StepContext,
  step: ChampionStep,
  done: { write?: (trx: Kysely<Database>) => Promise<unknown>; detail?: unknown },
): Promise<void> {
  const detail = done.detail ?? null;
  await ctx.deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('championAnalysisSteps')
      .values({
        championId: ctx.champion.id,
        step,
        detail: detail === null ? null : JSON.stringify(detail),
      })
      .onConflict((oc) => oc.doNothing())
      .returning('step')
      .executeTakeFirst();
    if (inserted) await done.write?.(trx);
  });
}

/**
 * Turns a recording into a transcript: the stored file is reduced to mono 16 kHz and cut
 * into chunks (platform/media), each chunk transcribed through the gateway (billed per
 * audio minute; the idempotency key makes a rerun bill only the chunks not yet done).
 * When the provider separated speakers, each segment keeps its label (`Speaker 1: ...`) so
 * the diarize step only has to say which speaker is the champion.
 */
export async function transcribeRecording(ctx: StepContext): Promise<void> {
  const key = ctx.champion.recordingKey;
  if (key === null) throw new StepFailure('the champion has no recording');
  const { media } = ctx.deps.config;
  let text: string;
  try {
    await using audio = await prepareAudio({
      storage: ctx.deps.storage,
      key,
      chunkSeconds: media.chunkSeconds,
      timeoutMs: media.timeoutMs,
    });
    const result = await transcribeAudio(ctx.deps, {
      payer: ctx.payer,
      chunks: audio.chunks,
      idempotencyKey: `champion:${ctx.champion.id}`,
    });
    text = result.diarized ? labelledBySpeaker(result.segments) : result.text;
  } catch (error) {
    if (error instanceof DomainError && error.reason === 'MEDIA_UNREADABLE') {
      throw new StepFailure(`the recording could not be read: ${error.message}`);
    }
    if (error instanceof DomainError && error.reason === 'NOT_FOUND') {
      throw new StepFailure('the recording is missing from storage');
    }
    throw error;
  }
  if (text.trim().length === 0) throw new StepFailure('the recording holds no speech');
  await ctx.deps.db
    .insertInto('championTranscripts')
    .values({ championId: ctx.champion.id, text })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** One line per change of speaker: `Speaker 1: ...`. */
function labelledBySpeaker(
  segments: readonly { text: string; speaker?: string | number | undefined; chunk: number }[],
): string {
  const lines: string[] = [];
  let current: string | null = null;
  for (const segment of segments) {
    // Labels restart in each chunk: `Speaker 2.1` is label 1 of the second chunk.
    const label = segment.speaker ?? '?';
    const speaker =
      segment.chunk === 0 ? `Speaker ${label}` : `Speaker ${segment.chunk + 1}.${label}`;
    if (speaker === current && lines.length > 0) {
      lines[lines.length - 1] += ` ${segment.text.trim()}`;
    } else {
      lines.push(`${speaker}: ${segment.text.trim()}`);
      current = speaker;
    }
  }
  return lines.join('\n');
}

/** Step 1: a transcript to analyse. A pasted transcript (or one already made) is done. */
export async function transcribeStep(ctx: StepContext): Promise<void> {
  const existing = await transcriptOf(ctx);
  if (existing === null) await transcribeRecording(ctx);
  if ((await transcriptOf(ctx)) === null) throw new StepFailure('transcription not available');
  await completeStep(ctx, 'transcribe', { detail: { source: ctx.champion.source } });
}

async function transcriptOf(ctx: StepContext): Promise<string | null> {
  const row = await ctx.deps.db
    .selectFrom('championTranscripts')
    .select('text')
    .where('championId', '=', ctx.champion.id)
    .executeTakeFirst();
  return row?.text ?? null;
}

/** Step 2: champion and prospect turns, by the gateway's chat model. */
export async function diarizeStep(ctx: StepContext): Promise<void> {
  const transcript = await transcriptOf(ctx);
  if (transcript === null) throw new StepFailure('transcription not available');
  const { turns } = await askStructured(ctx.deps, {
    payer: ctx.payer,
    task: DIARIZE.task,
    system: DIARIZE.system,
    input: { transcript },
    schema: DIARIZE.schema,
    idempotencyKey: `champion:${ctx.runId}:${DIARIZE.task}`,
    maxTokens: Math.min(16_000, Math.ceil(transcript.length / 3) + 500),
  });
  await completeStep(ctx, 'diarize', {
    write: (trx) =>
      trx
        .insertInto('championTurns')
        .values(turns.map((t, position) => ({ championId: ctx.champion.id, position, ...t })))
        .execute(),
    detail: { turns: turns.length },
  });
}

/** Step 3: the selling patterns, as structured output validated by zod. */
export async function extractStep(ctx: StepContext): Promise<void> {
  const turns = await ctx.deps.db
    .selectFrom('championTurns')
    .select(['speaker', 'text'])
    .where('championId', '=', ctx.champion.id)
    .orderBy('position')
    .execute();
  const { patterns } = await askStructured(ctx.deps, {
    payer: ctx.payer,
    task: EXTRACT.task,
    system: EXTRACT.system,
    input: { turns },
    schema: EXTRACT.schema,
    idempotencyKey: `champion:${ctx.runId}:${EXTRACT.task}`,
    maxTokens: 4_000,
  });
  await completeStep(ctx, 'extract', {
    write: (trx) =>
      trx
        .insertInto('championPatterns')
        .values(
          patterns.map((p, position) => ({
            championId: ctx.champion.id,
            userId: ctx.champion.userId,
            position,
            kind: p.kind,
            summary: p.summary,
            objection: p.objection ?? null,
            answer: p.answer ?? null,
            quotes: JSON.stringify(p.quotes),
          })),
        )
        .execute(),
    detail: { patterns: patterns.length },
  });
}

/** The text a pattern is embedded (and found) by. */
export function patternText(p: {
  kind: string;
  summary: string;
  objection: string | null;
  answer: string | null;
  quotes: string[];
}): string {
  return [
    p.kind.replace(/_/g, ' '),
    p.summary,
    p.objection ? `Objection: ${p.objection}` : '',
    p.answer ? `Answer: ${p.answer}` : '',
    ...p.quotes,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A vector as a Postgres `double precision[]` literal, unit length (cosine = dot product). */
export function vectorLiteral(vector: readonly number[]) {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return sql<number[]>`${`{${vector.map((x) => x / norm).join(',')}}`}::double precision[]`;
}

/** Step 4: one embedding per pattern, through the gateway's `embed` capability. */
export async function embedStep(ctx: StepContext): Promise<void> {
  const patterns = await ctx.deps.db
    .selectFrom('championPatterns')
    .select(['id', 'kind', 'summary', 'objection', 'answer', 'quotes'])
    .where('championId', '=', ctx.champion.id)
    .orderBy('position')
    .execute();
  if (patterns.length === 0) {
    await completeStep(ctx, 'embed', { detail: { patterns: 0 } });
    return;
  }
  const embedded = await embedTexts(ctx.deps, ctx.payer, {
    texts: patterns.map(patternText),
    purpose: 'document',
  });
  await completeStep(ctx, 'embed', {
    write: async (trx) => {
      for (const [i, pattern] of patterns.entries()) {
        await trx
          .updateTable('championPatterns')
          .set({
            embedding: vectorLiteral(embedded.vectors[i] ?? []),
            embeddingModel: embedded.model,
          })
          .where('id', '=', pattern.id)
          .execute();
      }
    },
    detail: { model: embedded.model, patterns: patterns.length },
  });
}

export const STEP_RUNNERS: Record<ChampionStep, (ctx: StepContext) => Promise<void>> = {
  transcribe: transcribeStep,
  diarize: diarizeStep,
  extract: extractStep,
  embed: embedStep,
};
