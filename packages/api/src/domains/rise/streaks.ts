import { sql } from '@phoenix/db';
import { type Fragment, todayIn } from './sql.ts';

/**
 * Current and longest run of consecutive days, computed in Postgres ("gaps and islands"):
 * numbering the distinct days in order, `day - row_number` is constant along a run of
 * consecutive days, so grouping by it yields each run. `days` must select distinct
 * calendar days in a column named `day`, already in the user's time zone, which is why
 * DST never matters here: a day is a date, not 24 hours.
 *
 * The current streak is the run ending today or yesterday (today may still be in progress).
 * Days after today (an action planned ahead and ticked early) are left out.
 * Returns one row `{ current, longest }`.
 */
export function streakQuery(days: Fragment, timeZone: string): Fragment {
  return sql`
    with today as (select ${todayIn(timeZone)} as t),
    runs as (
      select max(day) as last_day, count(*)::int as len
      from (
        select day, day - (row_number() over (order by day))::int as island
        from (${days}) as days, today
        where day <= t
      ) as numbered
      group by island
    )
    select
      coalesce(max(len) filter (where last_day >= t - 1), 0)::int as current,
      coalesce(max(len), 0)::int as longest
    from today left join runs on true
    group by t`;
}

/** Days with at least one completed Kaizen action (served by the partial completed index). */
export const completedKaizenDays = (userId: string): Fragment =>
  sql`select distinct date as day from kaizen_actions
      where user_id = ${userId} and completed_at is not null`;

/** Days with at least one Zazen session, each session placed on its local day in `timeZone`. */
export const zazenDays = (userId: string, timeZone: string): Fragment =>
  sql`select distinct (started_at at time zone ${timeZone})::date as day from zazen_sessions
      where user_id = ${userId}`;
