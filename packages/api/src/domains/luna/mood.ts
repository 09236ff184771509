import { type Database, type Kysely, sql } from '@phoenix/db';

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

/** The labels of the user's latest messages, newest first. */
export async function recentLabels(db: Db, userId: string, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('lunaMessages')
    .select('label')
    .where('userId', '=', userId)
    .where('role', '=', 'user')
    .orderBy('position', 'desc')
    .limit(count)
    .execute();
  return rows.map((r) => r.label ?? 'neutral');
}

/** Average valence of the user's messages over the last `days` (null without any). */
export async function moodOver(
  db: Db,
  userId: string,
  options: { days: number; nowMs: number },
): Promise<number | null> {
  const since = new Date(options.nowMs - options.days * DAY_MS);
  const row = await db
    .selectFrom('lunaMessages')
    .select(sql<number | null>`round(avg(valence)::numeric, 3)::float8`.as('mood'))
    .where('userId', '=', userId)
    .where('role', '=', 'user')
    .where('createdAt', '>=', since)
    .executeTakeFirst();
  return row?.mood ?? null;
}
