import type { AppDeps } from '../../context.ts';
import { type CloseRequest, settleAndCloseWithBalance } from './ledger-statements.ts';

/**
 * The settle, emitting `credits.low` when this call is the one that took the payer's
 * balance under CREDITS_LOW_THRESHOLD (it was at or above it before the call): the warning
 * goes out once per crossing, and only for a bill that committed. The common bill is one
 * autocommitted statement that declines to write when it would cross; only then is it
 * settled again in a transaction with the event (two extra round trips, once per crossing).
 */
export async function settleAndWarnLow(
  deps: Pick<AppDeps, 'db' | 'events' | 'config'>,
  c: CloseRequest,
): Promise<boolean> {
  const threshold = deps.config.gateway.lowCreditsThreshold;
  const first = await settleAndCloseWithBalance(deps.db, c, { lowThreshold: threshold });
  if (!first.crossing) return first.closed;
  return deps.db.transaction().execute(async (trx) => {
    const { closed, balance } = await settleAndCloseWithBalance(trx, c);
    const crossed =
      closed && balance !== null && balance < threshold && balance + c.charged >= threshold;
    if (crossed) {
      await deps.events.emit(trx, {
        type: 'credits.low',
        payload: { userId: c.userId, balance, threshold },
      });
    }
    return closed;
  });
}
