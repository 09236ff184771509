import { type Database, type Kysely, sql } from '@phoenix/db';
import { invalid } from '@phoenix/errors';
import { recordActivity } from '../../platform/activity.ts';
import type { Events } from '../../platform/events/index.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { RiseUser } from './kaizen.service.ts';
import type {
  ListZazenInput,
  RecordZazenInput,
  ZazenPage,
  ZazenSession,
  ZazenStats,
} from './schemas.ts';
import { todayIn } from './sql.ts';
import { streakQuery, zazenDays } from './streaks.ts';

type Db = Kysely<Database>;

const SESSION_COLUMNS = [
  'id',
  'startedAt',
  'durationSeconds',
  'trigger',
  'notes',
  'createdAt',
] as const;

// Clocks disagree a little; a session "starting" minutes from now is a skewed clock, not a plan.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export async function recordZazen(
  deps: { db: Db; events: Events },
  userId: string,
  input: RecordZazenInput,
): Promise<ZazenSession> {
  if (input.startedAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    throw invalid('A session cannot start in the future', {
      field: 'startedAt',
      reason: 'STARTED_IN_FUTURE',
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const session = await trx
      .insertInto('zazenSessions')
      .values({
        userId,
        startedAt: input.startedAt,
        durationSeconds: input.durationSeconds,
        trigger: input.trigger,
        notes: input.notes || null,
      })
      .returning(SESSION_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordActivity(trx, {
      userId,
      action: 'rise.zazen.recorded',
      resourceId: session.id,
    });
    await deps.events.emit(trx, {
      type: 'rise.zazen.recorded',
      payload: { userId, sessionId: session.id, durationSeconds: session.durationSeconds },
    });
    return session;
  });
}

const NEWEST: Keyset = {
  scope: 'zazen',
  keys: [key.micros('started_at'), key.uuid()],
  order: 'desc',
};

/** Newest first, keyset-paginated on (started_at, id). */
export async function listZazen(db: Db, userId: string, input: ListZazenInput): Promise<ZazenPage> {
  let query = db.selectFrom('zazenSessions').select(SESSION_COLUMNS).where('userId', '=', userId);
  if (input.from) query = query.where('startedAt', '>=', input.from);
  if (input.to) query = query.where('startedAt', '<', input.to);
  return paginate(query, NEWEST, input);
}

interface TotalsRow {
  sessions: number;
  totalMinutes: number;
  averageDurationSeconds: number;
  current: number;
  longest: number;
}

interface WeekRow {
  weekStart: string;
  minutes: number;
  sessions: number;
}

/**
 * Totals, streaks, and minutes for each of the last 12 weeks (Monday to Sunday in the
 * user's zone). Week bounds are local midnights turned back into instants by Postgres, so
 * a week spanning a DST change is 167 or 169 hours long, as it should be.
 */
export async function zazenStats(db: Db, user: RiseUser): Promise<ZazenStats> {
  const totals = sql<TotalsRow>`
    select t.sessions, t.total_minutes, t.average_duration_seconds, s.current, s.longest
    from (
      select count(*)::int as sessions,
        round(coalesce(sum(duration_seconds), 0) / 60.0, 2)::float8 as total_minutes,
        coalesce(round(avg(duration_seconds)), 0)::int as average_duration_seconds
      from zazen_sessions where user_id = ${user.id}
    ) as t,
    (${streakQuery(zazenDays(user.id, user.timeZone), user.timeZone)}) as s`;
  // Monday of the current local week, then 11 weeks back; isodow is 1 for Monday.
  const weeks = sql<WeekRow>`
    with this_week as (
      select t - (extract(isodow from t)::int - 1) as monday
      from (select ${todayIn(user.timeZone)} as t) as today
    ),
    weeks as (
      select monday - 7 * back as week_start from this_week, generate_series(0, 11) as back
    )
    select to_char(w.week_start, 'YYYY-MM-DD') as week_start,
      round(coalesce(sum(z.duration_seconds), 0) / 60.0, 2)::float8 as minutes,
      count(z.id)::int as sessions
    from weeks as w
    left join zazen_sessions as z
      on z.user_id = ${user.id}
      and z.started_at >= (w.week_start::timestamp at time zone ${user.timeZone})
      and z.started_at < ((w.week_start + 7)::timestamp at time zone ${user.timeZone})
    group by w.week_start
    order by w.week_start`;
  const totalsResult = await totals.execute(db);
  const weeksResult = await weeks.execute(db);
  const row = totalsResult.rows[0];
  if (!row) throw new Error('zazen totals query returned no row');
  return {
    sessions: row.sessions,
    totalMinutes: row.totalMinutes,
    averageDurationSeconds: row.averageDurationSeconds,
    weeks: weeksResult.rows,
    currentStreak: row.current,
    longestStreak: row.longest,
  };
}
