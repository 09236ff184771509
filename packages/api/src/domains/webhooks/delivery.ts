import { type Database, type Kysely, sql } from '@phoenix/db';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { raiseAlert } from '../../platform/alerts.ts';
import { type DomainEvent, type Events, eventTypes } from '../../platform/events/index.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { type AttemptOutcome, sendAttempt } from './send.ts';
import { signedHeaders } from './signing.ts';

type Deps = Pick<AppDeps, 'config' | 'jobs'>;

const attemptPayload = z.object({ deliveryId: z.uuid(), attempt: z.int().min(1) });

/**
 * One attempt of one delivery. An HTTP failure is not a job failure: the attempt is logged
 * and the next one is sent as a new job, delayed by the retry schedule (Svix's). The job's
 * own retries only cover the hub's failures (a database that is down mid-attempt).
 */
export const deliverWebhookJob = defineJob({
  name: 'webhooks.deliver',
  payload: attemptPayload,
  retry: { limit: 5, delaySeconds: 5 },
  timeoutSeconds: 120,
  handler: (deps, payload) => runAttempt(deps, payload),
});

/**
 * Enqueues attempt `attempt` of a delivery in `trx`, after its delay in the schedule; an
 * administrator's retry (`now`) goes at once, not after the schedule's last, longest wait.
 */
export async function enqueueAttempt(
  deps: Deps,
  trx: Kysely<Database>,
  attempt: z.input<typeof attemptPayload> & { now?: boolean },
): Promise<void> {
  const { now, ...payload } = attempt;
  const schedule = deps.config.webhooks.retryScheduleSeconds;
  const delaySeconds = now ? 0 : (schedule[Math.min(payload.attempt, schedule.length) - 1] ?? 0);
  await deps.jobs.send(deliverWebhookJob, payload, {
    db: trx,
    ...(delaySeconds > 0 ? { startAfter: new Date(Date.now() + delaySeconds * 1000) } : {}),
  });
}

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
function messageOf(event: DomainEvent) {
  return { type: event.type, timestamp: event.occurredAt.toISOString(), data: event.payload };
}

/**
 * The `webhooks` subscriber of every domain event: one delivery per enabled endpoint that
 * subscribes to its type, with its first attempt, in one transaction. The event's id is the
 * message id, unique per endpoint, so a redelivered event fans out once.
 */
async function fanOut(deps: AppDeps, event: DomainEvent): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const endpoints = await trx
      .selectFrom('webhookEndpoints')
      .select('id')
      .where('enabled', '=', true)
      .where(sql<boolean>`event_types @> array[${event.type}]::text[]`)
      .execute();
    if (endpoints.length === 0) return;
    const payload = JSON.stringify(messageOf(event));
    const created = await trx
      .insertInto('webhookDeliveries')
      .values(
        endpoints.map((endpoint) => ({
          endpointId: endpoint.id,
          messageId: event.id,
          eventType: event.type,
          payload,
        })),
      )
      .onConflict((oc) => oc.columns(['endpointId', 'messageId']).doNothing())
      .returning('id')
      .execute();
    await deps.jobs.sendMany(
      deliverWebhookJob,
      created.map((row) => ({ deliveryId: row.id, attempt: 1 })),
      { db: trx },
    );
  });
}

/** Subscribes the webhook fan-out to every domain event (at startup, in every process). */
export function subscribeWebhooks(events: Events): void {
  for (const type of eventTypes) events.on(type, 'webhooks', fanOut);
}

async function runAttempt(
  deps: AppDeps,
  { deliveryId, attempt }: z.output<typeof attemptPayload>,
): Promise<void> {
  const delivery = await deps.db
    .selectFrom('webhookDeliveries as d')
    .innerJoin('webhookEndpoints as e', 'e.id', 'd.endpointId')
    .select([
      'd.id',
      'd.endpointId',
      'd.messageId',
      'd.payload',
      'd.status',
      'd.attempts',
      'e.url',
      'e.enabled',
      'e.secret',
      'e.previousSecret',
      'e.previousSecretExpiresAt',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  // Gone, finished, or this attempt already ran (a job redelivered after a crash): nothing to do.
  if (delivery?.status !== 'pending' || delivery.attempts !== attempt - 1) return;
  const outcome: AttemptOutcome = delivery.enabled
    ? await send(deps, delivery)
    : {
        succeeded: false,
        statusCode: null,
        error: 'endpoint disabled',
        latencyMs: 0,
        responseBody: '',
      };
  await record(deps, { deliveryId, endpointId: delivery.endpointId, attempt, outcome });
  deps.metrics.webhookAttempts.inc({ outcome: outcome.succeeded ? 'succeeded' : 'failed' });
}

function send(
  deps: AppDeps,
  delivery: {
    url: string;
    messageId: string;
    payload: unknown;
    secret: string;
    previousSecret: string | null;
    previousSecretExpiresAt: Date | null;
  },
): Promise<AttemptOutcome> {
  const body = JSON.stringify(delivery.payload);
  return sendAttempt({
    url: delivery.url,
    body,
    headers: signedHeaders(delivery, { id: delivery.messageId, body, at: new Date() }),
    timeoutMs: deps.config.webhooks.timeoutMs,
    allowPrivateTargets: deps.config.webhooks.allowPrivateTargets,
  });
}

/**
 * Logs the attempt and moves the delivery on, in one transaction guarded by the attempt
 * count (two runs of one attempt record it once): done, the next attempt scheduled, or
 * failed for good. An endpoint failing for WEBHOOK_DISABLE_AFTER_SECONDS is disabled with
 * an alert, and its pending deliveries fail.
 */
async function record(
  deps: AppDeps,
  input: { deliveryId: string; endpointId: string; attempt: number; outcome: AttemptOutcome },
): Promise<void> {
  const { deliveryId, endpointId, attempt, outcome } = input;
  const { retryScheduleSeconds, disableAfterMs } = deps.config.webhooks;
  const last = attempt >= retryScheduleSeconds.length;
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    const status = outcome.succeeded ? 'succeeded' : last ? 'failed' : 'pending';
    const moved = await trx
      .updateTable('webhookDeliveries')
      .set({ attempts: attempt, status, completedAt: status === 'pending' ? null : now })
      .where('id', '=', deliveryId)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempt - 1)
      .returning('id')
      .executeTakeFirst();
    if (!moved) return;
    await trx
      .insertInto('webhookLogs')
      .values({
        deliveryId,
        endpointId,
        attempt,
        succeeded: outcome.succeeded,
        statusCode: outcome.statusCode,
        error: outcome.error,
        latencyMs: outcome.latencyMs,
        responseBody: outcome.responseBody,
      })
      .execute();
    if (outcome.succeeded) {
      await trx
        .updateTable('webhookEndpoints')
        .set({ failingSince: null })
        .where('id', '=', endpointId)
        .where('failingSince', 'is not', null)
        .execute();
      return;
    }
    const endpoint = await trx
      .updateTable('webhookEndpoints')
      .set((eb) => ({
        failingSince: eb.fn.coalesce('failingSince', sql<Date>`${now}::timestamptz`),
      }))
      .where('id', '=', endpointId)
      .returning(['failingSince', 'enabled', 'url'])
      .executeTakeFirst();
    const failingFor = endpoint?.failingSince ? now.getTime() - endpoint.failingSince.getTime() : 0;
    if (endpoint?.enabled && failingFor >= disableAfterMs) {
      await disable(trx, { endpointId, url: endpoint.url, since: endpoint.failingSince ?? now });
      return;
    }
    if (!last) await enqueueAttempt(deps, trx, { deliveryId, attempt: attempt + 1 });
  });
}

async function disable(
  trx: Kysely<Database>,
  input: { endpointId: string; url: string; since: Date },
): Promise<void> {
  const reason = `failing since ${input.since.toISOString()}`;
  await trx
    .updateTable('webhookEndpoints')
    .set({ enabled: false, disabledAt: new Date(), disabledReason: reason, updatedAt: new Date() })
    .where('id', '=', input.endpointId)
    .execute();
  await trx
    .updateTable('webhookDeliveries')
    .set({ status: 'failed', completedAt: new Date() })
    .where('endpointId', '=', input.endpointId)
    .where('status', '=', 'pending')
    .execute();
  await raiseAlert(trx, {
    kind: 'webhook.endpoint-disabled',
    severity: 'warning',
    title: `Webhook endpoint disabled: ${input.url}`.slice(0, 200),
    body: `Every delivery has failed since ${input.since.toISOString()}; the endpoint was disabled. Fix the receiver, then enable it again.`,
    dedupeKey: `webhook.endpoint-disabled:${input.endpointId}:${input.since.toISOString()}`,
  });
}
