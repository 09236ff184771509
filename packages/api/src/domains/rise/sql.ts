import { type RawBuilder, sql } from '@phoenix/db';

/** A raw SQL fragment, composed into larger statements. */
export type Fragment = ReturnType<typeof sql>;

/** Today in the given IANA zone, as Postgres computes it (the zone is a bound parameter). */
export const todayIn = (timeZone: string): Fragment => sql`(now() at time zone ${timeZone})::date`;

/** A calendar date column formatted as YYYY-MM-DD (never through a JS Date). */
export const isoDate = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
