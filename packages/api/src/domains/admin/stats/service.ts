import { type Database, type Kysely, type RawBuilder, sql } from '@phoenix/db';
import type { AppDeps } from '../../../context.ts';
import { unreadAlertCount } from '../alerts/service.ts';
import type {
  ActivityPerDay,
  Dashboard,
  ErrorsPerDay,
  Funnel,
  Period,
  SignupsPerDay,
} from './schemas.ts';

const DAY_MS = 86_400_000;
/** The action that marks a completed Aube diagnostic (recorded by the Aube domain). */
export const DIAGNOSTIC_COMPLETED = 'aube.diagnostic.completed';

/** Counts, each over an indexed range: users(created_at), activity_events(created_at), sessions(last_used_at). */
export async function dashboard(
  deps: Pick<AppDeps, 'db' | 'config'>,
  periodDays: number,
): Promise<Dashboard> {
  const { db } = deps;
  const now = Date.now();
  const ago = (days: number): Date => new Date(now - days * DAY_MS);
  const { session } = deps.config.auth;
  const [users, active, sessions, errors, unreadAlerts] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`count(*) filter (where active)`.as('active'),
        sql<number>`count(*) filter (where role = 'admin')`.as('admins'),
        sql<number>`count(*) filter (where created_at >= ${ago(periodDays)})`.as('newInPeriod'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('activityEvents')
      .select([
        sql<number>`count(distinct user_id) filter (where created_at >= ${ago(1)})`.as('dau'),
        sql<number>`count(distinct user_id) filter (where created_at >= ${ago(7)})`.as('wau'),
        sql<number>`count(distinct user_id)`.as('mau'),
      ])
      .where('createdAt', '>=', ago(30))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('lastUsedAt', '>', new Date(now - session.idleTimeoutMs))
      .where('createdAt', '>', new Date(now - session.absoluteLifetimeMs))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('adminErrors')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('resolvedAt', 'is', null)
      .executeTakeFirstOrThrow(),
    unreadAlertCount(db),
  ]);
  return {
    generatedAt: new Date(now),
    periodDays,
    users: {
      total: Number(users.total),
      active: Number(users.active),
      admins: Number(users.admins),
      newInPeriod: Number(users.newInPeriod),
    },
    activeUsers: { dau: Number(active.dau), wau: Number(active.wau), mau: Number(active.mau) },
    activeSessions: Number(sessions.count),
    openErrors: Number(errors.count),
    unreadAlerts,
  };
}

/** Every UTC day touched by [from, to), as `YYYY-MM-DD`. */
function daysOf(period: Period): string[] {
  const days: string[] = [];
  const start = Date.UTC(
    period.from.getUTCFullYear(),
    period.from.getUTCMonth(),
    period.from.getUTCDate(),
  );
  for (let t = start; t < period.to.getTime(); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const utcDay = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;

export async function activityPerDay(
  db: Kysely<Database>,
  period: Period,
): Promise<ActivityPerDay> {
  const rows = await db
    .selectFrom('activityEvents')
    .select([
      utcDay.as('day'),
      sql<number>`count(*)`.as('events'),
      sql<number>`count(distinct user_id)`.as('users'),
    ])
    .where('createdAt', '>=', period.from)
    .where('createdAt', '<', period.to)
    .groupBy(sql`1`)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysOf(period).map((day) => ({
    day,
    events: Number(byDay.get(day)?.events ?? 0),
    users: Number(byDay.get(day)?.users ?? 0),
  }));
}

/** Registrations per UTC day, over users(created_at). */
export async function signupsPerDay(db: Kysely<Database>, period: Period): Promise<SignupsPerDay> {
  const rows = await db
    .selectFrom('users')
    .select([utcDay.as('day'), sql<number>`count(*)`.as('signups')])
    .where('createdAt', '>=', period.from)
    .where('createdAt', '<', period.to)
    .groupBy(sql`1`)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, Number(r.signups)]));
  return daysOf(period).map((day) => ({ day, signups: byDay.get(day) ?? 0 }));
}

export async function errorsPerDay(db: Kysely<Database>, period: Period): Promise<ErrorsPerDay> {
  const rows = await db
    .selectFrom('adminErrorOccurrences')
    .select([utcDay.as('day'), sql<number>`count(*)`.as('occurrences')])
    .where('createdAt', '>=', period.from)
    .where('createdAt', '<', period.to)
    .groupBy(sql`1`)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, Number(r.occurrences)]));
  return daysOf(period).map((day) => ({ day, occurrences: byDay.get(day) ?? 0 }));
}

/**
 * Of the users who registered in the period: how many did a domain action (anything
 * but `auth.*`), completed a diagnostic, and came back 7 days or more after signing up.
 * Scans users(created_at) for the cohort, then one indexed probe per user and step.
 */
export async function funnel(db: Kysely<Database>, period: Period): Promise<Funnel> {
  const exists = (condition: RawBuilder<unknown>): RawBuilder<number> =>
    sql<number>`count(*) filter (where exists (select 1 from activity_events a where a.user_id = u.id and ${condition}))`;
  const row = await db
    .selectFrom('users as u')
    .select([
      sql<number>`count(*)`.as('registered'),
      exists(sql`a.action not like 'auth.%'`).as('firstDomainAction'),
      exists(sql`a.action = ${DIAGNOSTIC_COMPLETED}`).as('firstDiagnosticCompleted'),
      exists(sql`a.created_at >= u.created_at + interval '7 days'`).as('activeAgainAfter7Days'),
    ])
    .where('u.createdAt', '>=', period.from)
    .where('u.createdAt', '<', period.to)
    .executeTakeFirstOrThrow();
  return {
    from: period.from,
    to: period.to,
    registered: Number(row.registered),
    firstDomainAction: Number(row.firstDomainAction),
    firstDiagnosticCompleted: Number(row.firstDiagnosticCompleted),
    activeAgainAfter7Days: Number(row.activeAgainAfter7Days),
  };
}
