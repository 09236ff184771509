import { type Database, type Kysely, sql } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import { type Keyset, key, paginate } from '../../../platform/pagination.ts';
import type { Alert, AlertPage, ListAlertsInput, MarkAllRead } from './schemas.ts';

const COLUMNS = [
  'id',
  'kind',
  'severity',
  'title',
  'body',
  'createdAt',
  'readAt',
  'dismissedAt',
] as const;
const NEWEST: Keyset = {
  scope: 'alerts',
  keys: [key.micros('created_at'), key.uuid()],
  order: 'desc',
};

export async function unreadAlertCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('adminAlerts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('readAt', 'is', null)
    .where('dismissedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listAlerts(db: Kysely<Database>, input: ListAlertsInput): Promise<AlertPage> {
  let query = db.selectFrom('adminAlerts').select(COLUMNS);
  if (input.status === 'active') query = query.where('dismissedAt', 'is', null);
  if (input.status === 'unread') {
    query = query.where('dismissedAt', 'is', null).where('readAt', 'is', null);
  }
  if (input.status === 'dismissed') query = query.where('dismissedAt', 'is not', null);
  const [page, unreadCount] = await Promise.all([
    paginate(query, NEWEST, input),
    unreadAlertCount(db),
  ]);
  return {
    ...page,
    unreadCount,
  };
}

/** Sets `readAt` or `dismissedAt` once; doing it again changes nothing but is still allowed. */
export function markAlert(
  db: Kysely<Database>,
  audit: AuditTrail,
  { alertId, mark }: { alertId: string; mark: 'readAt' | 'dismissedAt' },
): Promise<Alert> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('adminAlerts')
      .select(COLUMNS)
      .where('id', '=', alertId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Alert');
    const now = new Date();
    const after = await trx
      .updateTable('adminAlerts')
      .set((eb) => {
        const stamp = sql<Date>`${now}::timestamptz`;
        const readAt = eb.fn.coalesce('readAt', stamp);
        // Dismissing also reads it, so a dismissed alert never counts as unread.
        return mark === 'readAt'
          ? { readAt }
          : { readAt, dismissedAt: eb.fn.coalesce('dismissedAt', stamp) };
      })
      .where('id', '=', alertId)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, {
      resourceType: 'alert',
      resourceId: alertId,
      oldValue: { readAt: before.readAt, dismissedAt: before.dismissedAt },
      newValue: { readAt: after.readAt, dismissedAt: after.dismissedAt },
    });
    return after;
  });
}

export function markAllAlertsRead(db: Kysely<Database>, audit: AuditTrail): Promise<MarkAllRead> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('adminAlerts')
      .set({ readAt: new Date() })
      .where('readAt', 'is', null)
      .executeTakeFirst();
    const updated = Number(result.numUpdatedRows);
    await audit.record(trx, { resourceType: 'alert', newValue: { markedRead: updated } });
    return { updated };
  });
}
