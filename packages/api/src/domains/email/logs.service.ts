import { type Database, type Kysely, sql } from '@phoenix/db';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { EmailLogPage, EmailStats, ListEmailLogsInput } from './schemas.ts';

const NEWEST: Keyset = {
  scope: 'email-logs',
  keys: [key.micros('createdAt'), key.uuid('id')],
  order: 'desc',
};

export async function listEmailLogs(
  db: Kysely<Database>,
  input: ListEmailLogsInput,
): Promise<EmailLogPage> {
  let query = db.selectFrom('emailLogs').selectAll();
  if (input.status) query = query.where('status', '=', input.status);
  if (input.trigger) query = query.where('trigger', '=', input.trigger);
  if (input.userId) query = query.where('userId', '=', input.userId);
  return paginate(query, NEWEST, input);
}

/** Sets `opened_at` once; later opens change nothing. */
export async function markOpened(db: Kysely<Database>, logId: string): Promise<void> {
  await db
    .updateTable('emailLogs')
    .set({ openedAt: new Date() })
    .where('id', '=', logId)
    .where('openedAt', 'is', null)
    .execute();
}

/** Sets `clicked_at` once (a click is also an open: images may be blocked). */
export async function markClicked(db: Kysely<Database>, logId: string): Promise<void> {
  const now = sql<Date>`now()`;
  await db
    .updateTable('emailLogs')
    .set((eb) => ({
      clickedAt: eb.fn.coalesce('clickedAt', now),
      openedAt: eb.fn.coalesce('openedAt', now),
    }))
    .where('id', '=', logId)
    .where((eb) => eb.or([eb('clickedAt', 'is', null), eb('openedAt', 'is', null)]))
    .execute();
}

export async function emailStats(db: Kysely<Database>, periodDays: number): Promise<EmailStats> {
  const since = new Date(Date.now() - periodDays * 86_400_000);
  const [totals, byTrigger] = await Promise.all([
    db
      .selectFrom('emailLogs')
      .select([
        sql<number>`count(*) filter (where status = 'queued')`.as('queued'),
        sql<number>`count(*) filter (where status = 'sent')`.as('sent'),
        sql<number>`count(*) filter (where status = 'failed')`.as('failed'),
        sql<number>`count(opened_at)`.as('opened'),
        sql<number>`count(clicked_at)`.as('clicked'),
      ])
      .where('createdAt', '>=', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('emailLogs')
      .select([
        'trigger',
        sql<number>`count(*) filter (where status = 'sent')`.as('sent'),
        sql<number>`count(*) filter (where status = 'failed')`.as('failed'),
      ])
      .where('createdAt', '>=', since)
      .groupBy('trigger')
      .orderBy('trigger')
      .execute(),
  ]);
  return {
    queued: Number(totals.queued),
    sent: Number(totals.sent),
    failed: Number(totals.failed),
    opened: Number(totals.opened),
    clicked: Number(totals.clicked),
    byTrigger: byTrigger.map((row) => ({
      trigger: row.trigger,
      sent: Number(row.sent),
      failed: Number(row.failed),
    })),
  };
}
