import { sql } from '@phoenix/db';

/**
 * A provider's event as it was received, read as text: the connection's CamelCasePlugin
 * would rename the keys of a jsonb value read as an object (`payment_status` ->
 * `paymentStatus`), and the payload is the provider's document, not ours.
 */
export const rawPayload = sql<string>`payload::text`.as('payload');
