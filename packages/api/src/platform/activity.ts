import type { Database, Kysely } from '@phoenix/db';

/**
 * Records what a user did, for stats, funnels and churn. Call it from services after the
 * action succeeded, with the same `db` (or transaction) the action used.
 */
export async function recordActivity(
  db: Kysely<Database>,
  event: { userId: string; action: string; resourceId?: string | null },
): Promise<void> {
  await db
    .insertInto('activityEvents')
    .values({ userId: event.userId, action: event.action, resourceId: event.resourceId ?? null })
    .execute();
}
