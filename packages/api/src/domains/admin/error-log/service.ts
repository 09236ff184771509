import { type Database, type Kysely, sql } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { z } from 'zod';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import { decodeCursor, encodeCursor, page } from '../../../platform/pagination.ts';
import type { ListErrorsInput } from './schemas.ts';

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
const cursorSchema = z.object({ id: z.uuid() });

/** Most recently seen first. */
export async function listErrors(db: Kysely<Database>, input: ListErrorsInput) {
  let query = db
    .selectFrom('adminErrors')
    .select(COLUMNS)
    .orderBy('lastSeenAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.status === 'open') query = query.where('resolvedAt', 'is', null);
  if (input.status === 'resolved') query = query.where('resolvedAt', 'is not', null);
  if (input.cursor) {
    const { id } = decodeCursor(input.cursor, cursorSchema);
    query = query.where(
      sql<boolean>`(last_seen_at, id) < (select last_seen_at, id from admin_errors where id = ${id}::uuid)`,
    );
  }
  const rows = await query.execute();
  return page(rows, input.limit, (last) => encodeCursor({ id: last.id }));
}

export async function getError(db: Kysely<Database>, errorId: string) {
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
  input: { errorId: string; note: string },
) {
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
