import {
  type Database,
  type Kysely,
  type SelectQueryBuilder,
  sql,
  type WebhookDeliveriesTable,
  type WebhookLogsTable,
} from '@phoenix/db';
import { conflict, notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { enqueueAttempt } from './delivery.ts';
import type {
  ListLogsInput,
  Log,
  LogDetail,
  LogPage,
  RetriedDelivery,
  WebhookStats,
} from './schemas.ts';

const NEWEST: Keyset = {
  scope: 'webhook-logs',
  keys: [key.micros('l.createdAt'), key.uuid('l.id')],
  order: 'desc',
};

type LogTables = Database & { l: WebhookLogsTable; d: WebhookDeliveriesTable };

const logs = (db: Kysely<Database>): SelectQueryBuilder<LogTables, 'l' | 'd', Log> =>
  db
    .selectFrom('webhookLogs as l')
    .innerJoin('webhookDeliveries as d', 'd.id', 'l.deliveryId')
    .select([
      'l.id',
      'l.deliveryId',
      'l.endpointId',
      'd.messageId',
      'd.eventType',
      'l.attempt',
      'l.succeeded',
      'l.statusCode',
      'l.error',
      'l.latencyMs',
      'l.createdAt',
    ]);

/** Attempts, newest first. */
export async function listLogs(db: Kysely<Database>, input: ListLogsInput): Promise<LogPage> {
  let query = logs(db);
  if (input.endpointId) query = query.where('l.endpointId', '=', input.endpointId);
  if (input.deliveryId) query = query.where('l.deliveryId', '=', input.deliveryId);
  if (input.succeeded !== undefined) query = query.where('l.succeeded', '=', input.succeeded);
  return paginate(query, NEWEST, input);
}

export async function getLog(db: Kysely<Database>, id: string): Promise<LogDetail> {
  const row = await logs(db)
    .select([
      'l.responseBody',
      'd.payload',
      'd.status as deliveryStatus',
      'd.attempts as deliveryAttempts',
    ])
    .where('l.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Webhook log');
  return row;
}

/**
 * One more attempt for a delivery that failed for good (its schedule ran out, or its
 * endpoint was disabled). The delivery goes back to `pending` and its attempt is queued,
 * audited, in one transaction.
 */
export function retryDelivery(
  deps: Pick<AppDeps, 'db' | 'config' | 'jobs'>,
  audit: AuditTrail,
  logId: string,
): Promise<RetriedDelivery> {
  return deps.db.transaction().execute(async (trx) => {
    const log = await trx
      .selectFrom('webhookLogs')
      .select(['deliveryId'])
      .where('id', '=', logId)
      .executeTakeFirst();
    if (!log) throw notFound('Webhook log');
    const before = await trx
      .selectFrom('webhookDeliveries')
      .select(['id', 'status', 'attempts'])
      .where('id', '=', log.deliveryId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.status !== 'failed') {
      throw conflict('Only a delivery that failed for good can be retried', {
        reason: 'WEBHOOK_DELIVERY_NOT_FAILED',
      });
    }
    await trx
      .updateTable('webhookDeliveries')
      .set({ status: 'pending', completedAt: null })
      .where('id', '=', before.id)
      .execute();
    const attempt = before.attempts + 1;
    await enqueueAttempt(deps, trx, { deliveryId: before.id, attempt, now: true });
    await audit.record(trx, {
      resourceType: 'webhook_delivery',
      resourceId: before.id,
      oldValue: { status: before.status, attempts: before.attempts },
      newValue: { status: 'pending', attempt, fromLog: logId },
    });
    return { deliveryId: before.id, attempt };
  });
}

/** Endpoint health and the period's deliveries and attempts. */
export async function webhookStats(
  db: Kysely<Database>,
  periodDays: number,
): Promise<WebhookStats> {
  const since = new Date(Date.now() - periodDays * 86_400_000);
  const [endpoints, deliveries, attempts] = await Promise.all([
    db
      .selectFrom('webhookEndpoints')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`count(*) filter (where enabled)`.as('enabled'),
        sql<number>`count(*) filter (where failing_since is not null)`.as('failing'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('webhookDeliveries')
      .select([
        sql<number>`count(*) filter (where status = 'pending')`.as('pending'),
        sql<number>`count(*) filter (where status = 'succeeded')`.as('succeeded'),
        sql<number>`count(*) filter (where status = 'failed')`.as('failed'),
      ])
      .where('createdAt', '>=', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('webhookLogs')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`count(*) filter (where succeeded)`.as('succeeded'),
        sql<number>`count(*) filter (where not succeeded)`.as('failed'),
        sql<number | null>`avg(latency_ms)::float8`.as('meanLatencyMs'),
      ])
      .where('createdAt', '>=', since)
      .executeTakeFirstOrThrow(),
  ]);
  const n = (value: number | string): number => Number(value);
  return {
    endpoints: {
      total: n(endpoints.total),
      enabled: n(endpoints.enabled),
      failing: n(endpoints.failing),
    },
    deliveries: {
      pending: n(deliveries.pending),
      succeeded: n(deliveries.succeeded),
      failed: n(deliveries.failed),
    },
    attempts: {
      total: n(attempts.total),
      succeeded: n(attempts.succeeded),
      failed: n(attempts.failed),
      meanLatencyMs: attempts.meanLatencyMs === null ? null : Number(attempts.meanLatencyMs),
    },
  };
}
