import type { Config } from '@phoenix/config';
import type { Database, Kysely, Tier } from '@phoenix/db';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { findPlan, planView } from './catalogue.ts';
import type { HistoryPage, InvoicePage, PageInput, Subscription } from './schemas.ts';

type Db = Kysely<Database>;

/** `billing.subscription`: the plan, status, renewal date and grace period of the caller. */
export async function subscriptionOf(
  deps: { db: Db; config: Config },
  user: { id: string; tier: Tier },
): Promise<Subscription> {
  const held = await deps.db
    .selectFrom('billingSubscriptions')
    .selectAll()
    .where('userId', '=', user.id)
    .executeTakeFirst();
  const plan = held ? findPlan(deps.config, held.planId) : undefined;
  return {
    tier: user.tier,
    plan: plan ? planView(deps.config, plan) : null,
    status: held?.status ?? 'none',
    provider: held?.provider ?? null,
    renewsAt: held?.status === 'canceled' ? null : (held?.currentPeriodEnd ?? null),
    cancelAtPeriodEnd: held?.cancelAtPeriodEnd ?? false,
    graceUntil: held?.status === 'past_due' ? held.graceUntil : null,
  };
}

const INVOICES: Keyset = {
  scope: 'billing-invoices',
  keys: [key.micros('createdAt'), key.uuid('id')],
  order: 'desc',
};

/** `billing.invoices`: the caller's invoices and top-up payments, newest first. */
export function listInvoices(db: Db, userId: string, input: PageInput): Promise<InvoicePage> {
  const query = db
    .selectFrom('billingInvoices')
    .select([
      'id',
      'provider',
      'kind',
      'planId',
      'packId',
      'credits',
      'creditsClawedBack',
      'amount',
      'currency',
      'status',
      'occurredAt',
    ])
    .where('userId', '=', userId);
  return paginate(query, INVOICES, input);
}

const HISTORY: Keyset = {
  scope: 'billing-history',
  keys: [key.micros('createdAt'), key.uuid('id')],
  order: 'desc',
};

/** `billing.history`: every change of the caller's plan, tier or status, newest first. */
export async function listHistory(db: Db, userId: string, input: PageInput): Promise<HistoryPage> {
  const query = db
    .selectFrom('billingSubscriptionEvents')
    .select([
      'id',
      'fromPlan',
      'toPlan',
      'fromTier',
      'toTier',
      'status',
      'cause',
      'provider',
      'providerEventId',
      'createdAt',
    ])
    .where('userId', '=', userId);
  const page = await paginate(query, HISTORY, input);
  return {
    ...page,
    items: page.items.map((item) => ({
      ...item,
      fromTier: item.fromTier as Tier,
      toTier: item.toTier as Tier,
    })),
  };
}
