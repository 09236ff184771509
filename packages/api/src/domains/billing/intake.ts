import type { Database, PaymentProvider, Transaction } from '@phoenix/db';
import type { AppDeps } from '../../context.ts';
import { storableJson } from '../../schemas/index.ts';
import { applyBillingEventJob } from './jobs.ts';
import { verifyWebhook } from './verify.ts';

export interface Received {
  /** The stored event's id; absent for a replayed delivery. */
  id: string | null;
  duplicate: boolean;
}

/**
 * A provider's delivery: the signature is checked on the raw body (`verifyWebhook` throws
 * `WebhookRefused` and nothing is stored), then the event is stored once by its provider id
 * and its `billing.apply` job enqueued in the same transaction. Applying it is the job's
 * work, so a slow database never keeps the provider waiting; a replayed delivery stores
 * nothing and is answered 200 all the same.
 */
export async function receiveWebhook(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock' | 'jobs'>,
  delivery: { provider: PaymentProvider; body: string; headers: Headers },
  /** Runs first in the storing transaction; throwing stores nothing (the fake provider's pay). */
  claim?: (trx: Transaction<Database>) => Promise<void>,
): Promise<Received> {
  const event = verifyWebhook(deps, delivery);
  return deps.db.transaction().execute(async (trx) => {
    await claim?.(trx);
    const row = await trx
      .insertInto('billingEvents')
      .values({
        provider: event.provider,
        eventId: event.eventId,
        type: event.type,
        payload: storableJson(event.payload),
        providerCreatedAt: event.createdAt,
      })
      .onConflict((oc) => oc.columns(['provider', 'eventId']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return { id: null, duplicate: true };
    await deps.jobs.send(applyBillingEventJob, { id: row.id }, { db: trx });
    return { id: row.id, duplicate: false };
  });
}
