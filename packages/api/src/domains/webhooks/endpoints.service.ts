import type { Database, Kysely } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { enqueueAttempt } from './delivery.ts';
import type {
  CreateEndpointInput,
  Endpoint,
  EndpointDeleted,
  EndpointPage,
  EndpointWithSecret,
  ListEndpointsInput,
  TestDelivery,
  UpdateEndpointInput,
} from './schemas.ts';
import { newSecret } from './signing.ts';
import { assertPublicTarget } from './ssrf.ts';

type Deps = Pick<AppDeps, 'db' | 'config' | 'jobs'>;

/** Every column but the secrets: what the admin API answers and the audit log records. */
const PUBLIC_COLUMNS = [
  'id',
  'url',
  'description',
  'eventTypes',
  'enabled',
  'previousSecretExpiresAt',
  'failingSince',
  'disabledAt',
  'disabledReason',
  'createdAt',
  'updatedAt',
] as const;
const NEWEST: Keyset = {
  scope: 'webhook-endpoints',
  keys: [key.micros('createdAt'), key.uuid('id')],
  order: 'desc',
};

async function checkTarget(deps: Deps, url: string): Promise<void> {
  if (!deps.config.webhooks.allowPrivateTargets) await assertPublicTarget(url);
}

async function findForUpdate(trx: Kysely<Database>, id: string): Promise<Endpoint> {
  const row = await trx
    .selectFrom('webhookEndpoints')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function listEndpoints(
  db: Kysely<Database>,
  input: ListEndpointsInput,
): Promise<EndpointPage> {
  let query = db.selectFrom('webhookEndpoints').select(PUBLIC_COLUMNS);
  if (input.enabled !== undefined) query = query.where('enabled', '=', input.enabled);
  return paginate(query, NEWEST, input);
}

export async function getEndpoint(db: Kysely<Database>, id: string): Promise<Endpoint> {
  const row = await db
    .selectFrom('webhookEndpoints')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function createEndpoint(
  deps: Deps,
  audit: AuditTrail,
  input: CreateEndpointInput,
): Promise<EndpointWithSecret> {
  await checkTarget(deps, input.url);
  const secret = newSecret();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhookEndpoints')
      .values({
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        enabled: input.enabled,
        secret,
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, { resourceType: 'webhook', resourceId: row.id, newValue: row });
    return { ...row, secret };
  });
}

export async function updateEndpoint(
  deps: Deps,
  audit: AuditTrail,
  input: UpdateEndpointInput,
): Promise<Endpoint> {
  if (input.url) await checkTarget(deps, input.url);
  return deps.db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, input.id);
    const reenabled = input.enabled === true && !before.enabled;
    const after = await trx
      .updateTable('webhookEndpoints')
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(reenabled ? { failingSince: null, disabledAt: null, disabledReason: null } : {}),
        updatedAt: new Date(),
      })
      .where('id', '=', input.id)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, {
      resourceType: 'webhook',
      resourceId: input.id,
      oldValue: before,
      newValue: after,
    });
    return after;
  });
}

export function deleteEndpoint(
  deps: Deps,
  audit: AuditTrail,
  id: string,
): Promise<EndpointDeleted> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, id);
    await trx.deleteFrom('webhookEndpoints').where('id', '=', id).execute();
    await audit.record(trx, { resourceType: 'webhook', resourceId: id, oldValue: before });
    return { deleted: true as const };
  });
}

/**
 * A new secret; the old one keeps signing (as a second signature) for
 * WEBHOOK_SECRET_GRACE_SECONDS, so receivers can switch without losing a message.
 */
export function regenerateSecret(
  deps: Deps,
  audit: AuditTrail,
  id: string,
): Promise<EndpointWithSecret> {
  const secret = newSecret();
  return deps.db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, id);
    const expiresAt = new Date(Date.now() + deps.config.webhooks.secretGraceMs);
    const after = await trx
      .updateTable('webhookEndpoints')
      .set((eb) => ({
        previousSecret: eb.ref('secret'),
        previousSecretExpiresAt: expiresAt,
        secret,
        updatedAt: new Date(),
      }))
      .where('id', '=', id)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    // The secrets themselves never reach the audit log: only that one was replaced, and until when the old one signs.
    await audit.record(trx, {
      resourceType: 'webhook',
      resourceId: id,
      oldValue: { previousSecretExpiresAt: before.previousSecretExpiresAt },
      newValue: { rotated: true, previousSecretExpiresAt: after.previousSecretExpiresAt },
    });
    return { ...after, secret };
  });
}

/** Sends a `webhook.test` message to one endpoint (through the same job as real events). */
export function sendTestMessage(deps: Deps, audit: AuditTrail, id: string): Promise<TestDelivery> {
  return deps.db.transaction().execute(async (trx) => {
    await findForUpdate(trx, id);
    const messageId = `msg_test_${crypto.randomUUID()}`;
    const body = {
      type: 'webhook.test',
      timestamp: new Date().toISOString(),
      data: { endpointId: id },
    };
    const delivery = await trx
      .insertInto('webhookDeliveries')
      .values({
        endpointId: id,
        messageId,
        eventType: 'webhook.test',
        payload: JSON.stringify(body),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueAttempt(deps, trx, { deliveryId: delivery.id, attempt: 1 });
    await audit.record(trx, {
      resourceType: 'webhook',
      resourceId: id,
      newValue: { testDeliveryId: delivery.id, messageId },
    });
    return { deliveryId: delivery.id, messageId };
  });
}
