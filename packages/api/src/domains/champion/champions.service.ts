import { type ChampionStep, type Database, type Kysely, sql } from '@phoenix/db';
import { conflict, invalid, notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { analyzeChampionJob } from './analysis-job.ts';
import { publishProgress, STEPS, stepStatus } from './progress.ts';
import type {
  Champion,
  ChampionPage,
  ChampionSummary,
  CreateFromTranscriptInput,
  ListInput,
  Pattern,
  PatternPage,
  PatternsInput,
  Transcript,
} from './schemas.ts';
import { runningSessionsOf } from './training-rules.ts';

type Db = Kysely<Database>;

const SUMMARY_COLUMNS = [
  'id',
  'name',
  'source',
  'status',
  'failureReason',
  'progress',
  'currentStep',
  'createdAt',
  'updatedAt',
  'analyzedAt',
] as const;

/** Where a champion's files live in storage; deleting the champion deletes the prefix. */
export function championStoragePrefix(championId: string): string {
  return `champions/${championId}`;
}

/** The caller's champion, or NOT_FOUND (another user's id reads as missing). */
export async function ownChampion(db: Db, userId: string, id: string): Promise<ChampionSummary> {
  const row = await db
    .selectFrom('champions')
    .select(SUMMARY_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('Champion', { field: 'id' });
  return row;
}

/**
 * A champion from a pasted transcript: stored with its transcript, status `uploaded`;
 * the transcription step is already done (there is nothing to transcribe).
 */
export async function createFromTranscript(
  deps: Pick<AppDeps, 'db' | 'config'>,
  userId: string,
  input: CreateFromTranscriptInput,
): Promise<Champion> {
  const max = deps.config.champion.transcriptMaxChars;
  if (input.transcript.trim().length === 0) {
    throw invalid('The transcript is empty', { field: 'transcript', reason: 'VALIDATION_FAILED' });
  }
  if (input.transcript.length > max) {
    throw invalid(`The transcript is longer than ${max} characters`, {
      field: 'transcript',
      reason: 'VALIDATION_FAILED',
    });
  }
  const id = await deps.db.transaction().execute(async (trx) => {
    const champion = await trx
      .insertInto('champions')
      .values({ userId, name: input.name, source: 'transcript', progress: 25 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('championTranscripts')
      .values({ championId: champion.id, text: input.transcript })
      .execute();
    await trx
      .insertInto('championAnalysisSteps')
      .values({
        championId: champion.id,
        step: 'transcribe',
        detail: JSON.stringify({ skipped: 'pasted transcript' }),
      })
      .execute();
    return champion.id;
  });
  return getChampion(deps.db, userId, id);
}

/** A champion from an uploaded recording (already in storage): status `uploaded`. */
export async function createFromRecording(
  deps: Pick<AppDeps, 'db'>,
  input: { userId: string; id: string; name: string; recordingKey: string },
): Promise<Champion> {
  await deps.db
    .insertInto('champions')
    .values({
      id: input.id,
      userId: input.userId,
      name: input.name,
      source: 'recording',
      recordingKey: input.recordingKey,
      progress: 0,
    })
    .execute();
  return getChampion(deps.db, input.userId, input.id);
}

const NEWEST: Keyset = {
  scope: 'champions',
  keys: [key.micros('created_at'), key.uuid()],
  order: 'desc',
};

export async function listChampions(
  db: Db,
  userId: string,
  input: ListInput,
): Promise<ChampionPage> {
  return paginate(
    db.selectFrom('champions').select(SUMMARY_COLUMNS).where('userId', '=', userId),
    NEWEST,
    input,
  );
}

export async function getChampion(db: Db, userId: string, id: string): Promise<Champion> {
  const champion = await ownChampion(db, userId, id);
  const [steps, patterns] = await Promise.all([
    db
      .selectFrom('championAnalysisSteps')
      .select(['step', 'completedAt', 'detail'])
      .where('championId', '=', id)
      .execute(),
    db
      .selectFrom('championPatterns')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('championId', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  const done = new Map(steps.map((s) => [s.step, s]));
  return {
    ...champion,
    patternCount: Number(patterns.count),
    steps: STEPS.map((step) => {
      const row = done.get(step);
      const skipped = (row?.detail as { skipped?: string } | null)?.skipped !== undefined;
      return {
        step,
        state: row
          ? skipped
            ? 'skipped'
            : 'done'
          : champion.currentStep === step
            ? champion.status === 'failed'
              ? 'failed'
              : champion.status === 'ready' || champion.status === 'uploaded'
                ? 'pending'
                : 'running'
            : 'pending',
        completedAt: row?.completedAt ?? null,
      };
    }),
  };
}

export async function getTranscript(db: Db, userId: string, id: string): Promise<Transcript> {
  await ownChampion(db, userId, id);
  const [transcript, turns] = await Promise.all([
    db
      .selectFrom('championTranscripts')
      .select('text')
      .where('championId', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('championTurns')
      .select(['position', 'speaker', 'text'])
      .where('championId', '=', id)
      .orderBy('position')
      .execute(),
  ]);
  return { text: transcript?.text ?? null, turns };
}

/**
 * Queues the analysis job in the same transaction that moves the champion to its next
 * step's status. A failed champion is analysed again from the step that failed: the
 * steps that succeeded are kept and skipped.
 */
export async function requestAnalysis(
  deps: AppDeps,
  userId: string,
  id: string,
): Promise<Champion> {
  await deps.db.transaction().execute(async (trx) => {
    const champion = await trx
      .selectFrom('champions')
      .select(['id', 'status'])
      .where('id', '=', id)
      .where('userId', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!champion) throw notFound('Champion', { field: 'id' });
    if (champion.status === 'transcribing' || champion.status === 'analyzing') {
      throw conflict('This champion is being analysed', { reason: 'CHAMPION_ANALYSIS_RUNNING' });
    }
    if (champion.status === 'ready') {
      throw conflict('This champion is already analysed', { reason: 'CHAMPION_ALREADY_ANALYZED' });
    }
    const done = await trx
      .selectFrom('championAnalysisSteps')
      .select('step')
      .where('championId', '=', id)
      .execute();
    const next: ChampionStep = STEPS.find((s) => !done.some((d) => d.step === s)) ?? 'embed';
    await trx
      .updateTable('champions')
      .set({
        status: stepStatus(next),
        currentStep: next,
        failureReason: null,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    await deps.jobs.send(analyzeChampionJob, { championId: id }, { db: trx });
  });
  await publishProgress(deps, id);
  return getChampion(deps.db, userId, id);
}

/**
 * Deletes a champion, its derived data (transcript, turns, patterns, scenarios, ended
 * sessions: cascades) and its files. Refused while one of its training sessions runs.
 * The champion row is locked, so no session can start of it meanwhile.
 */
export async function deleteChampion(
  deps: Pick<AppDeps, 'db' | 'storage' | 'log' | 'config' | 'clock'>,
  userId: string,
  id: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const champion = await trx
      .selectFrom('champions')
      .select('id')
      .where('id', '=', id)
      .where('userId', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!champion) throw notFound('Champion', { field: 'id' });
    const running = await runningSessionsOf(trx, {
      championId: id,
      now: deps.clock.now(),
      rules: deps.config.champion.training,
    });
    if (running > 0) {
      throw conflict('A training session of this champion is running; end it first', {
        reason: 'CHAMPION_IN_TRAINING',
      });
    }
    await trx.deleteFrom('champions').where('id', '=', id).execute();
  });
  // After the commit: a failed delete of files must not bring the champion back.
  try {
    await deps.storage.deletePrefix(championStoragePrefix(id));
  } catch (error) {
    deps.log.error({ err: error, championId: id }, 'champion deleted, but not its files');
  }
}

const PATTERN_ORDER: Keyset = { scope: 'patterns', keys: [key.int('position')], order: 'asc' };

export async function listPatterns(
  db: Db,
  userId: string,
  input: PatternsInput,
): Promise<PatternPage> {
  await ownChampion(db, userId, input.championId);
  const page = await paginate(
    db
      .selectFrom('championPatterns')
      .select([
        'id',
        'championId',
        'kind',
        'summary',
        'objection',
        'answer',
        'quotes',
        'position',
        sql<boolean>`embedding is not null`.as('embedded'),
      ])
      .where('championId', '=', input.championId),
    PATTERN_ORDER,
    input,
  );
  return { ...page, items: page.items.map(patternOf) };
}

export function patternOf(row: {
  id: string;
  championId: string;
  kind: Pattern['kind'];
  summary: string;
  objection: string | null;
  answer: string | null;
  quotes: string[];
  embedded: boolean;
}): Pattern {
  return {
    id: row.id,
    championId: row.championId,
    kind: row.kind,
    summary: row.summary,
    objection: row.objection,
    answer: row.answer,
    quotes: row.quotes,
    embedded: row.embedded,
  };
}
