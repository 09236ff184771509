import type { AppDeps } from '../../context.ts';
import { applySubscriptionState } from './state.ts';

/**
 * Ends the grace periods that ran out: the subscription is canceled and the tier drops to
 * FREE, one user per transaction. A payment that lands later (a newer provider event)
 * makes it active again. Answers how many were ended.
 */
export async function expireGracePeriods(
  deps: Pick<AppDeps, 'db' | 'config' | 'events' | 'clock' | 'auth'>,
): Promise<number> {
  const now = new Date(deps.clock.now());
  const due = await deps.db
    .selectFrom('billingSubscriptions')
    .select('userId')
    .where('graceUntil', '<=', now)
    .where('status', '=', 'past_due')
    .limit(500)
    .execute();
  let ended = 0;
  for (const { userId } of due) {
    const change = await deps.db.transaction().execute(async (trx) => {
      const held = await trx
        .selectFrom('billingSubscriptions')
        .selectAll()
        .where('userId', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      // Paid meanwhile, or already ended by another run.
      if (held?.status !== 'past_due' || !held.graceUntil || held.graceUntil > now) {
        return null;
      }
      return applySubscriptionState(deps, trx, {
        userId,
        // Not a provider event: the state's provider timestamp is kept.
        at: null,
        next: { ...held, status: 'canceled' },
        cause: 'grace_expired',
        provider: held.provider,
        providerEventId: null,
      });
    });
    if (!change) continue;
    ended++;
    if (change.tierChanged) await deps.auth.userChanged(userId);
  }
  return ended;
}
