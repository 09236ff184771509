import { type Database, type Kysely, sql } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { recordActivity } from '../../platform/activity.ts';
import type { Events } from '../../platform/events/index.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type {
  CreateKaizenInput,
  KaizenAction,
  KaizenPage,
  KaizenStreaks,
  ListKaizenInput,
} from './schemas.ts';
import { isoDate, todayIn } from './sql.ts';
import { completedKaizenDays, streakQuery } from './streaks.ts';

type Db = Kysely<Database>;

/** The user whose rows are read or written, and the zone their days are counted in. */
export interface RiseUser {
  id: string;
  timeZone: string;
}

const ACTION_COLUMNS = [
  'id',
  'text',
  isoDate('date').as('date'),
  sql<boolean>`completed_at is not null`.as('completed'),
  'completedAt',
  'createdAt',
  'updatedAt',
] as const;

const NOT_FOUND = 'Kaizen action';

export async function createKaizen(
  db: Db,
  user: RiseUser,
  input: CreateKaizenInput,
): Promise<KaizenAction> {
  return db.transaction().execute(async (trx) => {
    const action = await trx
      .insertInto('kaizenActions')
      .values({
        userId: user.id,
        text: input.text,
        // Today as Postgres sees it in the user's zone, the same "today" streaks use.
        date: input.date ?? sql<string>`${todayIn(user.timeZone)}`,
      })
      .returning(ACTION_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordActivity(trx, {
      userId: user.id,
      action: 'rise.kaizen.created',
      resourceId: action.id,
    });
    return action;
  });
}

/**
 * One user's actions in a date range, keyset-paginated on (date, created_at, id) so pages
 * stay stable while rows are added. Callers decide whose rows: the owner, or an admin.
 */
export async function listKaizen(
  db: Db,
  userId: string,
  input: ListKaizenInput,
): Promise<KaizenPage> {
  let query = db.selectFrom('kaizenActions').select(ACTION_COLUMNS).where('userId', '=', userId);
  if (input.from) query = query.where(sql<boolean>`date >= ${input.from}::date`);
  if (input.to) query = query.where(sql<boolean>`date <= ${input.to}::date`);
  const keyset: Keyset = {
    scope: `kaizen:${input.order}`,
    keys: [key.date('date'), key.micros('created_at'), key.uuid()],
    order: input.order,
  };
  return paginate(query, keyset, input);
}

export async function updateKaizenText(
  db: Db,
  userId: string,
  input: { id: string; text: string },
): Promise<KaizenAction> {
  // Scoped to the owner: another user's id looks exactly like a missing one.
  const action = await db
    .updateTable('kaizenActions')
    .set({ text: input.text, updatedAt: sql<Date>`now()` })
    .where('id', '=', input.id)
    .where('userId', '=', userId)
    .returning(ACTION_COLUMNS)
    .executeTakeFirst();
  if (!action) throw notFound(NOT_FOUND);
  return action;
}

/**
 * Completing keeps the first completion time (repeating it changes nothing and records no
 * new activity); un-completing clears it.
 */
export async function setKaizenCompleted(
  deps: { db: Db; events: Events },
  userId: string,
  input: { id: string; completed: boolean },
): Promise<KaizenAction> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('kaizenActions')
      .select('completedAt')
      .where('id', '=', input.id)
      .where('userId', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound(NOT_FOUND);
    const completedAt = input.completed ? (before.completedAt ?? sql<Date>`now()`) : null;
    const action = await trx
      .updateTable('kaizenActions')
      .set({ completedAt, updatedAt: sql<Date>`now()` })
      .where('id', '=', input.id)
      .returning(ACTION_COLUMNS)
      .executeTakeFirstOrThrow();
    if (input.completed && !before.completedAt) {
      await recordActivity(trx, {
        userId,
        action: 'rise.kaizen.completed',
        resourceId: action.id,
      });
      await deps.events.emit(trx, {
        type: 'rise.kaizen.completed',
        payload: { userId, kaizenId: action.id },
      });
    }
    return action;
  });
}

export async function deleteKaizen(db: Db, userId: string, id: string): Promise<void> {
  const deleted = await db
    .deleteFrom('kaizenActions')
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw notFound(NOT_FOUND);
}

interface StreakRow {
  today: string;
  current: number;
  longest: number;
  total: number;
  completed: number;
}

/** Streaks and completion rate in one statement; nothing of the history reaches JS. */
export async function kaizenStreaks(db: Db, user: RiseUser): Promise<KaizenStreaks> {
  const { rows } = await sql<StreakRow>`
    select
      to_char(${todayIn(user.timeZone)}, 'YYYY-MM-DD') as today,
      s.current, s.longest, c.total, c.completed
    from (${streakQuery(completedKaizenDays(user.id), user.timeZone)}) as s,
      (select count(*)::int as total, count(completed_at)::int as completed
       from kaizen_actions where user_id = ${user.id}) as c`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('streak query returned no row');
  return {
    today: row.today,
    currentStreak: row.current,
    longestStreak: row.longest,
    totalActions: row.total,
    completedActions: row.completed,
    completionRate: row.total === 0 ? 0 : row.completed / row.total,
  };
}
