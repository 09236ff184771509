import type { Database, Kysely, Tier } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { applyBillingEventJob } from './jobs.ts';
import { rawPayload } from './raw-payload.ts';
import type {
  BillingEventDetail,
  BillingEventPage,
  ChangedSubscription,
  ChangeSubscriptionInput,
  ListEventsInput,
  Replayed,
} from './schemas.ts';
import { lockUser, setTier } from './state.ts';

type Db = Kysely<Database>;

const COLUMNS = [
  'id',
  'provider',
  'eventId',
  'type',
  'status',
  'error',
  'attempts',
  'providerCreatedAt',
  'receivedAt',
  'processedAt',
] as const;

const NEWEST: Keyset = {
  scope: 'billing-events',
  keys: [key.micros('receivedAt'), key.uuid('id')],
  order: 'desc',
};

/** `admin.billing.events.list`: every provider event received, newest first. */
export function listEvents(db: Db, input: ListEventsInput): Promise<BillingEventPage> {
  let query = db.selectFrom('billingEvents').select(COLUMNS);
  if (input.provider) query = query.where('provider', '=', input.provider);
  if (input.type) query = query.where('type', '=', input.type);
  if (input.status) query = query.where('status', '=', input.status);
  return paginate(query, NEWEST, input);
}

export async function getEvent(db: Db, id: string): Promise<BillingEventDetail> {
  const row = await db
    .selectFrom('billingEvents')
    .select([...COLUMNS, rawPayload])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Billing event');
  return { ...row, payload: JSON.parse(row.payload) as unknown };
}

/**
 * `admin.billing.replay`: applies a stored event again (a failed one, or one ignored because
 * its checkout or customer was unknown then). Applying is idempotent (invoices and ledger
 * entries are unique, older states are ignored), so replaying a processed event is safe.
 */
export function replayEvent(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  audit: AuditTrail,
  id: string,
): Promise<Replayed> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('billingEvents')
      .select(['id', 'status', 'error'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Billing event');
    await trx
      .updateTable('billingEvents')
      .set({ status: 'received', error: null })
      .where('id', '=', id)
      .execute();
    await deps.jobs.send(applyBillingEventJob, { id }, { db: trx });
    await audit.record(trx, {
      resourceType: 'billing_event',
      resourceId: id,
      oldValue: { status: before.status, error: before.error },
      newValue: { status: 'received' },
    });
    return { id, status: 'received' };
  });
}

/**
 * A tier set by an administrator (here or through `admin.users.update`), in the caller's
 * transaction: the same history row and `subscription.changed` as a payment's change, so
 * nothing moves a tier without a trace. The plan held, if any, stays.
 */
export async function changeTierByAdmin(
  deps: Pick<AppDeps, 'events'>,
  trx: Db,
  change: { userId: string; from: Tier; to: Tier },
): Promise<void> {
  const held = await trx
    .selectFrom('billingSubscriptions')
    .select(['planId', 'status'])
    .where('userId', '=', change.userId)
    .executeTakeFirst();
  await setTier(deps, trx, {
    ...change,
    fromPlan: held?.planId ?? null,
    toPlan: held?.planId ?? null,
    status: held?.status ?? 'none',
    cause: 'admin',
    provider: null,
    providerEventId: null,
  });
}

/**
 * `admin.billing.changeSubscription` (the seed's USER_SUBSCRIPTION_CHANGE): sets a user's
 * tier by hand, with its history row, `subscription.changed` and the audit row in one
 * transaction. It holds until the next provider event moves the subscription.
 */
export async function changeSubscription(
  deps: Pick<AppDeps, 'db' | 'events' | 'auth'>,
  audit: AuditTrail,
  input: ChangeSubscriptionInput,
): Promise<ChangedSubscription> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const user = await lockUser(trx, input.userId);
    if (!user) throw notFound('User');
    await changeTierByAdmin(deps, trx, { userId: input.userId, from: user.tier, to: input.tier });
    await audit.record(trx, {
      resourceType: 'user.subscription',
      resourceId: input.userId,
      oldValue: { tier: user.tier },
      newValue: { tier: input.tier, note: input.note ?? null },
    });
    return { userId: input.userId, tier: input.tier, previousTier: user.tier };
  });
  await deps.auth.userChanged(input.userId);
  return result;
}
