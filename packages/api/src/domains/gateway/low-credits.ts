import type { AppDeps } from '../../context.ts';
import { type CloseRequest, settleAndCloseWithBalance } from './ledger-statements.ts';

/**
 * The settle, in a transaction that also emits `credits.low` when this call is the one that
 * took the payer's balance under CREDITS_LOW_THRESHOLD (it was at or above it before the
 * call): the warning goes out once per crossing, and only for a bill that committed.
 */
export function settleAndWarnLow(deps: Pick<AppDeps, 'db' | 'events' | 'config'>, c: CloseRequest) {
  const threshold = deps.config.gateway.lowCreditsThreshold;
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
