import type { Database, Kysely } from '@phoenix/db';
import type { CircuitOpened } from '@phoenix/gateway';
import { raiseAlert } from '../admin/alerts/raise.ts';

/**
 * Tells the back office a provider's circuit opened: calls now skip it (falling back where
 * the route allows) until a probe succeeds. One alert per opening, even when several
 * processes see it open.
 */
export function raiseCircuitOpenAlert(db: Kysely<Database>, event: CircuitOpened) {
  const until = new Date(event.openUntil).toISOString();
  return raiseAlert(db, {
    kind: 'gateway.circuit-open',
    severity: 'warning',
    title: `${event.provider} circuit opened: calls skip it`,
    body: `Recent calls to ${event.provider} failed often enough to open its circuit breaker. Calls fall back to the next target of each route; one probe tries ${event.provider} again after ${until}. Provider health: gateway.admin.providers.`,
    dedupeKey: `gateway.circuit-open:${event.provider}:${event.openedAt}`,
  });
}
