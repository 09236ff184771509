import type { Database, Kysely } from '@phoenix/db';
import type { CircuitOpened } from '@phoenix/gateway';
import { raiseAlert } from '../alerts.ts';
import type { Events } from '../events/index.ts';

/**
 * Tells the back office a provider's circuit opened: calls now skip it (falling back where
 * the route allows) until a probe succeeds. One alert and one `gateway.circuit_open` event
 * per opening, even when several processes see it open: the event is emitted only by the
 * process whose alert row was new, in the same transaction.
 */
export function raiseCircuitOpenAlert(
  db: Kysely<Database>,
  events: Events,
  event: CircuitOpened,
): Promise<boolean> {
  const until = new Date(event.openUntil).toISOString();
  return db.transaction().execute(async (trx) => {
    const raised = await raiseAlert(trx, {
      kind: 'gateway.circuit-open',
      severity: 'warning',
      title: `${event.provider} circuit opened: calls skip it`,
      body: `Recent calls to ${event.provider} failed often enough to open its circuit breaker. Calls fall back to the next target of each route; one probe tries ${event.provider} again after ${until}. Provider health: gateway.admin.providers.`,
      dedupeKey: `gateway.circuit-open:${event.provider}:${event.openedAt}`,
    });
    if (raised) {
      await events.emit(trx, {
        type: 'gateway.circuit_open',
        payload: { provider: event.provider, openedAt: event.openedAt, openUntil: event.openUntil },
      });
    }
    return raised;
  });
}
