import { type Database, sql, type Transaction } from '@phoenix/db';

const DAY_MS = 86_400_000;
const LOOKBACK_DAYS = 366;

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export const localDay = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(ms);

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The streak a message sent now belongs to: how many days in a row (in the user's zone,
 * ending today) have a message, and the day it started, which names the occurrence so one
 * streak is celebrated once.
 */
export async function currentStreak(
  trx: Transaction<Database>,
  options: { userId: string; timeZone: string; nowMs: number },
): Promise<{ days: number; since: string }> {
  const { rows } = await sql<{ day: string }>`
    select distinct to_char(created_at at time zone ${options.timeZone}, 'YYYY-MM-DD') as day
    from luna_messages
    where user_id = ${options.userId} and role = 'user'
      and created_at > ${new Date(options.nowMs - LOOKBACK_DAYS * DAY_MS)}`.execute(trx);
  const days = new Set(rows.map((r) => r.day));
  const today = localDay(options.nowMs, options.timeZone);
  days.add(today);
  let since = today;
  let count = 0;
  // Calendar arithmetic on the dates themselves: a DST change never skips or repeats a day.
  for (let day = today; days.has(day); day = previousDay(day)) {
    since = day;
    count++;
  }
  return { days: count, since };
}
