import type { Database, Kysely } from '@phoenix/db';
import { DomainError, notFound } from '@phoenix/errors';
import { recordActivity } from '../../platform/activity.ts';
import type { Events } from '../../platform/events/index.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { DiagnosticAnswersInput } from './model.ts';
import { type Diagnostic, diagnosticSchema, type HistoryPage } from './schemas.ts';
import { scoreDiagnostic } from './scoring.ts';

const NEWEST: Keyset = {
  scope: 'diagnostics',
  keys: [key.micros('created_at'), key.uuid()],
  order: 'desc',
};

const COLUMNS = [
  'id',
  'catalogVersion',
  'answers',
  'scores',
  'type',
  'confidence',
  'dimensionClarity',
  'createdAt',
] as const;

// Rows are parsed, not cast: jsonb comes back untyped, and a row that no longer fits the
// schema should fail loudly here rather than downstream in matching.
const toDiagnostic = (row: unknown): Diagnostic => diagnosticSchema.parse(row);

/** What matches and recommendations answer before the user has taken the diagnostic. */
export const noDiagnostic = (): DomainError =>
  new DomainError('not_found', 'No diagnostic yet: complete aube.diagnostic.submit first', {
    reason: 'NO_DIAGNOSTIC',
  });

/**
 * Scores a complete answer set (refusals name `catalogVersion` or `answers.<id>`) and
 * stores it; `aube.diagnostic.completed` is emitted in the same transaction.
 */
export async function submitDiagnostic(
  deps: { db: Kysely<Database>; events: Events },
  userId: string,
  input: DiagnosticAnswersInput,
): Promise<Diagnostic> {
  const result = scoreDiagnostic(input.answers, input.catalogVersion);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('aubeDiagnostics')
      .values({
        userId,
        catalogVersion: result.catalogVersion,
        answers: JSON.stringify(input.answers),
        scores: JSON.stringify(result.scores),
        type: result.type,
        confidence: result.confidence,
        dimensionClarity: JSON.stringify(result.dimensionClarity),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordActivity(trx, {
      userId,
      action: 'aube.diagnostic.completed',
      resourceId: row.id,
    });
    await deps.events.emit(trx, {
      type: 'aube.diagnostic.completed',
      payload: { userId, diagnosticId: row.id, type: row.type },
    });
    return toDiagnostic(row);
  });
}

/** One user's diagnostics, newest first, keyset-paginated on (created_at, id). */
export async function listDiagnostics(
  db: Kysely<Database>,
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<HistoryPage> {
  const query = db.selectFrom('aubeDiagnostics').select(COLUMNS).where('userId', '=', userId);
  const { items, nextCursor } = await paginate(query, NEWEST, page);
  return { items: items.map(toDiagnostic), nextCursor };
}

export async function latestDiagnostic(
  db: Kysely<Database>,
  userId: string,
): Promise<Diagnostic | null> {
  const { items } = await listDiagnostics(db, userId, { limit: 1 });
  return items[0] ?? null;
}

export async function requireLatestDiagnostic(
  db: Kysely<Database>,
  userId: string,
): Promise<Diagnostic> {
  const latest = await latestDiagnostic(db, userId);
  if (!latest) throw noDiagnostic();
  return latest;
}

/** One of the caller's diagnostics; another user's id reads as not found, not forbidden. */
export async function getDiagnostic(
  db: Kysely<Database>,
  userId: string,
  id: string,
): Promise<Diagnostic> {
  const row = await db
    .selectFrom('aubeDiagnostics')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('Diagnostic', { reason: 'DIAGNOSTIC_NOT_FOUND' });
  return toDiagnostic(row);
}
