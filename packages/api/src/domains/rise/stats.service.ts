import { type Database, type Kysely, sql } from '@phoenix/db';
import type { RiseUser } from './kaizen.service.ts';
import type { RiseStats } from './schemas.ts';
import { completedKaizenDays, streakQuery } from './streaks.ts';

interface DashboardRow {
  totalKaizen: number;
  completedKaizen: number;
  currentStreak: number;
  zazenSessions: number;
  totalZazenMinutes: number;
  averageSessionSeconds: number;
}

/** The dashboard in one statement: three bounded per-user aggregates, one round trip. */
export async function riseStats(db: Kysely<Database>, user: RiseUser): Promise<RiseStats> {
  const { rows } = await sql<DashboardRow>`
    select k.total_kaizen, k.completed_kaizen, s.current as current_streak,
      z.zazen_sessions, z.total_zazen_minutes, z.average_session_seconds
    from
      (select count(*)::int as total_kaizen, count(completed_at)::int as completed_kaizen
       from kaizen_actions where user_id = ${user.id}) as k,
      (select count(*)::int as zazen_sessions,
         round(coalesce(sum(duration_seconds), 0) / 60.0, 2)::float8 as total_zazen_minutes,
         coalesce(round(avg(duration_seconds)), 0)::int as average_session_seconds
       from zazen_sessions where user_id = ${user.id}) as z,
      (${streakQuery(completedKaizenDays(user.id), user.timeZone)}) as s`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('dashboard query returned no row');
  return {
    ...row,
    completionRate: row.totalKaizen === 0 ? 0 : row.completedKaizen / row.totalKaizen,
  };
}
