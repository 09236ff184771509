import type { Database, Kysely } from '@phoenix/db';
import { refundAndCloseFailed } from './ledger-statements.ts';

/** Longer than any call or stream runs: a row still pending after this lost its process. */
export const ABANDONED_AFTER_MS = 3_600_000;
const BATCH = 500;
const MAX_INT = 2_147_483_647;

/**
 * Closes calls whose process stopped mid-call (a crash, a kill) as `failed` and gives
 * back their whole reservation: a call the hub cannot account for is never billed.
 * Each row closes through the same guarded statement as a live call, so a call that
 * settles at the same moment is billed once either way. Answers how many it closed.
 */
export async function refundAbandonedCalls(
  db: Kysely<Database>,
  olderThanMs = ABANDONED_AFTER_MS,
): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  let closed = 0;
  for (;;) {
    const stale = await db
      .selectFrom('gatewayRequests')
      .select(['id', 'userId', 'creditsReserved', 'createdAt'])
      .where('status', '=', 'pending')
      .where('createdAt', '<', cutoff)
      .orderBy('createdAt')
      .limit(BATCH)
      .execute();
    for (const call of stale) {
      const done = await refundAndCloseFailed(db, {
        id: call.id,
        userId: call.userId,
        refund: call.creditsReserved,
        latencyMs: Math.min(MAX_INT, Math.round(Date.now() - call.createdAt.getTime())),
        attempts: '[]',
      });
      if (done) closed++;
    }
    if (stale.length < BATCH) return closed;
  }
}
