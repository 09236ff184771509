import type { Database, Kysely } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import { type Keyset, key, paginate } from '../../../platform/pagination.ts';
import type {
  ErrorDetail,
  ErrorGroup,
  ErrorPage,
  ListErrorsInput,
  ResolveErrorInput,
} from './schemas.ts';

const COLUMNS = [
  'id',
  'fingerprint',
  'name',
  'message',
  'path',
  'lastRequestId',
  'count',
  'firstSeenAt',
  'lastSeenAt',
  'resolvedAt',
  'resolvedBy',
  'resolutionNote',
] as const;
/**
 * Newest group first, on when it was first seen: that never changes, while `last_seen_at`
 * moves with every occurrence, so a list ordered by it could skip or repeat a group that
 * recurs while an administrator pages through.
 */
const NEWEST: Keyset = {
  scope: 'errors',
  keys: [key.micros('first_seen_at'), key.uuid()],
  order: 'desc',
};

export async function listErrors(db: Kysely<Database>, input: ListErrorsInput): Promise<ErrorPage> {
  let query = db.selectFrom('adminErrors').select(COLUMNS);
  if (input.status === 'open') query = query.where('resolvedAt', 'is', null);
  if (input.status === 'resolved') query = query.where('resolvedAt', 'is not', null);
  return paginate(query, NEWEST, input);
}

export async function getError(db: Kysely<Database>, errorId: string): Promise<ErrorDetail> {
  const row = await db
    .selectFrom('adminErrors')
    .select(COLUMNS)
    .where('id', '=', errorId)
    .executeTakeFirst();
  if (!row) throw notFound('Error');
  const recentOccurrences = await db
    .selectFrom('adminErrorOccurrences')
    .select(['requestId', 'createdAt'])
    .where('errorId', '=', errorId)
    .orderBy('createdAt', 'desc')
    .limit(20)
    .execute();
  return { ...row, recentOccurrences };
}

export function resolveError(
  db: Kysely<Database>,
  audit: AuditTrail,
  input: ResolveErrorInput,
): Promise<ErrorGroup> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('adminErrors')
      .select(COLUMNS)
      .where('id', '=', input.errorId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Error');
    const after = await trx
      .updateTable('adminErrors')
      .set({ resolvedAt: new Date(), resolvedBy: audit.actor.adminId, resolutionNote: input.note })
      .where('id', '=', input.errorId)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, {
      resourceType: 'error',
      resourceId: input.errorId,
      oldValue: { resolvedAt: before.resolvedAt, resolutionNote: before.resolutionNote },
      newValue: { resolvedAt: after.resolvedAt, resolutionNote: after.resolutionNote },
    });
    return after;
  });
}
