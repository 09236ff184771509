import type {
  BillingSubscriptionRow,
  BillingSubscriptionStatus,
  Database,
  Kysely,
  PaymentProvider,
  Tier,
} from '@phoenix/db';
import type { AppDeps } from '../../context.ts';
import { findPlan } from './catalogue.ts';

type Db = Kysely<Database>;

/** The subscription state an event (or the grace sweep) wants to hold. */
export interface NextState {
  provider: PaymentProvider;
  subscriptionId: string | null;
  planId: string;
  status: BillingSubscriptionStatus;
  currentPeriodEnd: Date | null;
  graceUntil: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface Cause {
  /** `invoice.paid`, `payment_failed`, `grace_expired`, `subscription.updated`, `admin`... */
  cause: string;
  provider: PaymentProvider | null;
  providerEventId: string | null;
}

export interface StateChange {
  /** false when the event is older than the state held (nothing was written). */
  applied: boolean;
  tierChanged: boolean;
}

/** The tier a subscription state gives: its plan's while paid or in grace, else FREE. */
export function tierOf(
  config: AppDeps['config'],
  state: Pick<NextState, 'planId' | 'status'>,
): Tier {
  if (state.status !== 'active' && state.status !== 'past_due') return 'FREE';
  return findPlan(config, state.planId)?.tier ?? 'FREE';
}

/**
 * Sets a user's tier in `trx` (the user row is locked by the caller), with the history row
 * and the `subscription.changed` event in the same transaction. Answers whether it changed.
 */
export async function setTier(
  deps: Pick<AppDeps, 'events'>,
  trx: Db,
  change: {
    userId: string;
    from: Tier;
    to: Tier;
    fromPlan: string | null;
    toPlan: string | null;
    status: string;
  } & Cause,
): Promise<boolean> {
  if (change.from !== change.to) {
    await trx
      .updateTable('users')
      .set({ tier: change.to, updatedAt: new Date() })
      .where('id', '=', change.userId)
      .execute();
  }
  await trx
    .insertInto('billingSubscriptionEvents')
    .values({
      userId: change.userId,
      fromPlan: change.fromPlan,
      toPlan: change.toPlan,
      fromTier: change.from,
      toTier: change.to,
      status: change.status,
      cause: change.cause,
      provider: change.provider,
      providerEventId: change.providerEventId,
    })
    .execute();
  await deps.events.emit(trx, {
    type: 'subscription.changed',
    payload: {
      userId: change.userId,
      tier: change.to,
      previousTier: change.from,
      plan: change.toPlan,
      previousPlan: change.fromPlan,
      status: change.status,
      cause: change.cause,
    },
  });
  return change.from !== change.to;
}

/** Locks the user row: every billing write for one user runs one at a time. */
export async function lockUser(trx: Db, userId: string): Promise<{ tier: Tier } | undefined> {
  return trx
    .selectFrom('users')
    .select('tier')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Moves a user's subscription to `next` unless the state held is newer (`at` is the
 * provider's timestamp of the event; an older one is ignored, so deliveries out of order
 * never roll the state back). The tier follows the state; a change of plan, status or
 * tier leaves a history row and emits `subscription.changed`, all in `trx`.
 */
export async function applySubscriptionState(
  deps: Pick<AppDeps, 'config' | 'events'>,
  trx: Db,
  change: { userId: string; next: NextState; at: Date | null } & Cause,
): Promise<StateChange> {
  const user = await lockUser(trx, change.userId);
  if (!user) return { applied: false, tierChanged: false };
  const held: BillingSubscriptionRow | undefined = await trx
    .selectFrom('billingSubscriptions')
    .selectAll()
    .where('userId', '=', change.userId)
    .forUpdate()
    .executeTakeFirst();
  if (held && change.at && change.at.getTime() < held.stateAt.getTime()) {
    return { applied: false, tierChanged: false };
  }
  const { next } = change;
  const stateAt = change.at ?? held?.stateAt ?? new Date(0);
  const values = { ...next, stateAt, updatedAt: new Date() };
  await trx
    .insertInto('billingSubscriptions')
    .values({ userId: change.userId, ...values })
    .onConflict((oc) => oc.column('userId').doUpdateSet(values))
    .execute();
  const tier = tierOf(deps.config, next);
  const moved =
    !held || held.planId !== next.planId || held.status !== next.status || user.tier !== tier;
  if (!moved) return { applied: true, tierChanged: false };
  const tierChanged = await setTier(deps, trx, {
    userId: change.userId,
    from: user.tier,
    to: tier,
    fromPlan: held?.planId ?? null,
    toPlan: next.planId,
    status: next.status,
    cause: change.cause,
    provider: change.provider,
    providerEventId: change.providerEventId,
  });
  return { applied: true, tierChanged };
}
