import { type Database, type Kysely, sql } from '@phoenix/db';
import type { UsageDay } from './schemas.ts';

/** Calls per UTC day over the last `days` days: one bounded aggregate on (user_id, created_at). */
export async function usageByDay(
  db: Kysely<Database>,
  options: { days: number; userId?: string },
): Promise<UsageDay[]> {
  const since = new Date(Date.now() - options.days * 86_400_000);
  let query = db
    .selectFrom('gatewayRequests')
    .select([
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      sql<number>`count(*)::int`.as('requests'),
      sql<number>`(count(*) filter (where status in ('failed', 'interrupted')))::int`.as('failed'),
      sql<number>`(count(*) filter (where status = 'cached'))::int`.as('cached'),
      sql<number>`coalesce(sum(input_tokens), 0)::int`.as('inputTokens'),
      sql<number>`coalesce(sum(output_tokens), 0)::int`.as('outputTokens'),
      sql<number>`coalesce(sum(credits_charged), 0)::int`.as('credits'),
    ])
    .where('createdAt', '>=', since)
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  if (options.userId) query = query.where('userId', '=', options.userId);
  return query.execute();
}
