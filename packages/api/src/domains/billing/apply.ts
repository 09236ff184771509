import {
  type BillingEventStatus,
  type Database,
  type Kysely,
  lockForTransaction,
  type PaymentProvider,
  sql,
} from '@phoenix/db';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { raiseAlert } from '../../platform/alerts.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { applyGrant } from '../gateway/index.ts';
import { allowanceOf, findPlan } from './catalogue.ts';
import { userOfCustomer } from './customers.ts';
import { type Effect, effectsOf } from './effects.ts';
import { rawPayload } from './raw-payload.ts';
import { applySubscriptionState, type Cause, lockUser } from './state.ts';

type Db = Kysely<Database>;
type Deps = Pick<AppDeps, 'db' | 'config' | 'events' | 'clock' | 'auth' | 'log' | 'jobs'>;

interface EventRef extends Cause {
  provider: PaymentProvider;
  eventId: string;
  at: Date;
}

/** What every effect is applied with: the event's transaction and where it came from. */
interface Step {
  deps: Deps;
  trx: Db;
  ref: EventRef;
}

/** What applying one effect did: `null` when it applied, else why it was ignored. */
interface Outcome {
  ignored: string | null;
  tierChangedFor: string | null;
}

const applied: Outcome = { ignored: null, tierChangedFor: null };
const ignored = (why: string): Outcome => ({ ignored: why, tierChangedFor: null });

const ledgerKey = (provider: PaymentProvider, ref: string) => `billing:${provider}:${ref}`;

async function ledgerHas(trx: Db, key: string): Promise<boolean> {
  const row = await trx
    .selectFrom('creditTransactions')
    .select('id')
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

/** Credits the ledger once per key, with `credits.granted`, in `trx`. */
async function credit(
  { deps, trx }: Step,
  entry: { userId: string; amount: number; key: string; reference: string },
): Promise<void> {
  if (entry.amount <= 0 || (await ledgerHas(trx, entry.key))) return;
  const balance = await applyGrant(trx, {
    userId: entry.userId,
    amount: entry.amount,
    kind: 'purchase',
    idempotencyKey: entry.key,
    reference: entry.reference,
  });
  await deps.events.emit(trx, {
    type: 'credits.granted',
    payload: { userId: entry.userId, amount: entry.amount, kind: 'purchase', balance },
  });
}

function checkoutRow(trx: Db, provider: PaymentProvider, checkoutId: string) {
  return trx
    .selectFrom('billingCheckouts')
    .selectAll()
    .where('provider', '=', provider)
    .where('providerCheckoutId', '=', checkoutId)
    .forUpdate()
    .executeTakeFirst();
}

function markCheckoutPaid({ deps, trx }: Step, checkoutId: string) {
  return (
    trx
      .updateTable('billingCheckouts')
      // The first completion stands: a replayed or late event does not move it.
      .set({
        status: 'paid',
        completedAt: sql`coalesce(completed_at, ${new Date(deps.clock.now())})`,
      })
      .where('id', '=', checkoutId)
      .execute()
  );
}

/**
 * A paid top-up: the invoice row is inserted once per (provider, payment id), and only the
 * insert that wins credits the ledger, under the ledger's own unique idempotency key (the
 * payment id) as the last guard.
 */
async function topUpPaid(
  { deps, trx, ref }: Step,
  e: Extract<Effect, { kind: 'topUpPaid' }>,
): Promise<Outcome> {
  const checkout = await checkoutRow(trx, ref.provider, e.checkoutId);
  if (!checkout) return ignored(`unknown checkout ${e.checkoutId}`);
  if (checkout.kind !== 'top_up') return ignored('not a top-up checkout');
  // The payment first, then the user, as a reversal takes them: never each other's wait.
  await lockPayment(trx, ref.provider, e.paymentId);
  await lockUser(trx, checkout.userId);
  const inserted = await trx
    .insertInto('billingInvoices')
    .values({
      userId: checkout.userId,
      provider: ref.provider,
      providerRef: e.paymentId,
      kind: 'top_up',
      packId: checkout.packId,
      credits: checkout.credits,
      amount: e.amount,
      currency: e.currency,
      status: 'paid',
      occurredAt: ref.at,
    })
    .onConflict((oc) => oc.columns(['provider', 'providerRef']).doNothing())
    .returning('id')
    .executeTakeFirst();
  await markCheckoutPaid({ deps, trx, ref }, checkout.id);
  if (!inserted) return ignored(`payment ${e.paymentId} already credited`);
  await credit(
    { deps, trx, ref },
    {
      userId: checkout.userId,
      amount: checkout.credits,
      key: ledgerKey(ref.provider, e.paymentId),
      reference: `billing-event:${ref.eventId}`,
    },
  );
  await reapplyEarlyReversals({ deps, trx, ref }, e.paymentId);
  return applied;
}

/**
 * One payment's top-up and its reversals, one at a time: a reversal that finds no top-up
 * has then certainly been set aside before the top-up looks for it (`reapplyEarlyReversals`).
 */
function lockPayment(trx: Db, provider: PaymentProvider, paymentId: string): Promise<void> {
  return lockForTransaction(trx, `billing-payment:${provider}:${paymentId}`);
}

const NO_TOP_UP = 'no top-up for payment ';

/**
 * A refund or dispute can arrive (or be applied) before the payment it reverses: it finds
 * no top-up and is ignored. Once the top-up lands, each such event goes back to the queue
 * (sent in this transaction, so it runs after the credits it takes back exist); otherwise
 * the customer would keep the credits of a payment they got back.
 */
async function reapplyEarlyReversals({ deps, trx, ref }: Step, paymentId: string) {
  const early = await trx
    .updateTable('billingEvents')
    .set({ status: 'received', error: null })
    .where('provider', '=', ref.provider)
    .where('status', '=', 'ignored')
    .where('error', '=', `${NO_TOP_UP}${paymentId}`)
    .returning('id')
    .execute();
  for (const { id } of early) await deps.jobs.send(applyBillingEventJob, { id }, { db: trx });
}

async function checkoutClosed(
  { trx, ref }: Step,
  e: Extract<Effect, { kind: 'checkoutClosed' }>,
): Promise<Outcome> {
  const checkout = await checkoutRow(trx, ref.provider, e.checkoutId);
  if (!checkout) return ignored(`unknown checkout ${e.checkoutId}`);
  if (checkout.status !== 'open') return ignored(`checkout already ${checkout.status}`);
  await trx
    .updateTable('billingCheckouts')
    .set({ status: e.status })
    .where('id', '=', checkout.id)
    .execute();
  return applied;
}

async function subscriptionCheckoutCompleted(
  { deps, trx, ref }: Step,
  e: Extract<Effect, { kind: 'subscriptionCheckoutCompleted' }>,
): Promise<Outcome> {
  const checkout = await checkoutRow(trx, ref.provider, e.checkoutId);
  if (!checkout) return ignored(`unknown checkout ${e.checkoutId}`);
  await markCheckoutPaid({ deps, trx, ref }, checkout.id);
  // The state itself comes with the invoice (paid) and the subscription's own events.
  return applied;
}

async function heldSubscription(trx: Db, userId: string) {
  return trx
    .selectFrom('billingSubscriptions')
    .selectAll()
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/**
 * A paid invoice: recorded once, grants the plan's allowance once (ledger key = invoice id),
 * and makes the subscription active on the plan (unless a newer state is held).
 */
async function invoicePaid(
  { deps, trx, ref }: Step,
  e: Extract<Effect, { kind: 'invoicePaid' }>,
): Promise<Outcome> {
  const userId = await userOfCustomer(trx, ref.provider, e.customerId);
  if (!userId) return ignored(`unknown customer ${e.customerId}`);
  await lockUser(trx, userId);
  const held = await heldSubscription(trx, userId);
  const planId = e.planId ?? held?.planId ?? null;
  const plan = planId ? findPlan(deps.config, planId) : undefined;
  if (!plan) return ignored(`unknown plan ${planId ?? '(none)'}`);
  const allowance = allowanceOf(plan);
  await trx
    .insertInto('billingInvoices')
    .values({
      userId,
      provider: ref.provider,
      providerRef: e.invoiceId,
      kind: 'subscription',
      planId: plan.id,
      credits: allowance,
      amount: e.amount,
      currency: e.currency,
      status: 'paid',
      occurredAt: ref.at,
    })
    .onConflict((oc) =>
      oc.columns(['provider', 'providerRef']).doUpdateSet({ status: 'paid', occurredAt: ref.at }),
    )
    .execute();
  await credit(
    { deps, trx, ref },
    {
      userId,
      amount: allowance,
      key: ledgerKey(ref.provider, e.invoiceId),
      reference: `billing-event:${ref.eventId}`,
    },
  );
  const change = await applySubscriptionState(deps, trx, {
    userId,
    at: ref.at,
    next: {
      provider: ref.provider,
      subscriptionId: e.subscriptionId ?? held?.subscriptionId ?? null,
      planId: plan.id,
      status: 'active',
      currentPeriodEnd: e.periodEnd ?? held?.currentPeriodEnd ?? null,
      graceUntil: null,
      cancelAtPeriodEnd: held?.cancelAtPeriodEnd ?? false,
    },
    ...causeOf(ref),
  });
  return { ignored: null, tierChangedFor: change.tierChanged ? userId : null };
}

/** A failed renewal: the invoice is recorded failed and a grace period starts (once). */
async function invoiceFailed(
  { deps, trx, ref }: Step,
  e: Extract<Effect, { kind: 'invoiceFailed' }>,
): Promise<Outcome> {
  const userId = await userOfCustomer(trx, ref.provider, e.customerId);
  if (!userId) return ignored(`unknown customer ${e.customerId}`);
  await lockUser(trx, userId);
  const held = await heldSubscription(trx, userId);
  const planId = e.planId ?? held?.planId ?? null;
  await trx
    .insertInto('billingInvoices')
    .values({
      userId,
      provider: ref.provider,
      providerRef: e.invoiceId,
      kind: 'subscription',
      planId,
      amount: e.amount,
      currency: e.currency,
      status: 'failed',
      occurredAt: ref.at,
    })
    .onConflict((oc) => oc.columns(['provider', 'providerRef']).doNothing())
    .execute();
  if (!held || !planId || held.status === 'canceled') {
    return ignored('no active subscription to put in grace');
  }
  const change = await applySubscriptionState(deps, trx, {
    userId,
    at: ref.at,
    next: {
      ...subscriptionOf(held),
      status: 'past_due',
      graceUntil: held.graceUntil ?? new Date(deps.clock.now() + deps.config.billing.graceMs),
    },
    ...causeOf(ref),
  });
  if (!change.applied) return ignored('older than the subscription state held');
  return { ignored: null, tierChangedFor: change.tierChanged ? userId : null };
}

const subscriptionOf = (held: NonNullable<Awaited<ReturnType<typeof heldSubscription>>>) => ({
  provider: held.provider,
  subscriptionId: held.subscriptionId,
  planId: held.planId,
  status: held.status,
  currentPeriodEnd: held.currentPeriodEnd,
  graceUntil: held.graceUntil,
  cancelAtPeriodEnd: held.cancelAtPeriodEnd,
});

/** `customer.subscription.updated` / `.deleted`: ignored when older than the state held. */
async function subscriptionChanged(
  { deps, trx, ref }: Step,
  e: Extract<Effect, { kind: 'subscriptionChanged' }>,
): Promise<Outcome> {
  const userId = await userOfCustomer(trx, ref.provider, e.customerId);
  if (!userId) return ignored(`unknown customer ${e.customerId}`);
  await lockUser(trx, userId);
  const held = await heldSubscription(trx, userId);
  const planId = e.planId ?? held?.planId ?? null;
  if (!planId || !findPlan(deps.config, planId))
    return ignored(`unknown plan ${planId ?? '(none)'}`);
  const graceUntil =
    e.status === 'past_due'
      ? (held?.graceUntil ?? new Date(deps.clock.now() + deps.config.billing.graceMs))
      : null;
  const change = await applySubscriptionState(deps, trx, {
    userId,
    at: ref.at,
    next: {
      provider: ref.provider,
      subscriptionId: e.subscriptionId,
      planId,
      status: e.status,
      currentPeriodEnd: e.periodEnd,
      graceUntil,
      cancelAtPeriodEnd: e.cancelAtPeriodEnd,
    },
    ...causeOf(ref),
  });
  if (!change.applied) return ignored('older than the subscription state held');
  return { ignored: null, tierChangedFor: change.tierChanged ? userId : null };
}

/**
 * What a reversal takes back in all: a dispute or a whole refund, every credit bought; a
 * partial refund, its share of them, rounded down (in the user's favour).
 */
function reversalOf(
  credits: number,
  refunded: { amount: number; of: number } | null,
): { whole: boolean; credits: number } {
  if (!refunded || refunded.of <= 0 || refunded.amount >= refunded.of) {
    return { whole: true, credits };
  }
  const share = Math.floor((credits * Math.max(0, refunded.amount)) / refunded.of);
  return { whole: false, credits: share };
}

/**
 * A refund or dispute of a top-up takes back its credits, as many as are left unspent:
 * never more than the balance (the ledger's CHECK would refuse it anyway). A partial refund
 * takes back its share; each later refund of the same payment (Stripe sends the running
 * total) takes what the payment still owes of its larger share. A total not above the
 * largest one applied (`refundedAmount`) is old news, a late or replayed event: it takes
 * nothing, even when the balance capped what that larger one took (it was applied, cap
 * and all; otherwise a stale event would take credits bought since, and a replay of a
 * capped event that took nothing would take them again). The invoice is `refunded` once
 * the whole payment is.
 */
async function paymentReversed(
  { trx, ref }: Step,
  e: Extract<Effect, { kind: 'paymentReversed' }>,
): Promise<Outcome> {
  await lockPayment(trx, ref.provider, e.paymentId);
  const invoice = await trx
    .selectFrom('billingInvoices')
    .selectAll()
    .where('provider', '=', ref.provider)
    .where('providerRef', '=', e.paymentId)
    .forUpdate()
    .executeTakeFirst();
  if (invoice?.kind !== 'top_up') return ignored(`${NO_TOP_UP}${e.paymentId}`);
  if (invoice.status === 'refunded') return ignored('already reversed');
  const { whole, credits: due } = reversalOf(invoice.credits, e.refunded);
  // A dispute names no amount: the whole payment.
  const refundedAmount = e.refunded?.amount ?? invoice.amount;
  if (!whole && refundedAmount <= invoice.refundedAmount) {
    return ignored('a refund total already applied covers it');
  }
  const key = whole
    ? `${ledgerKey(ref.provider, e.paymentId)}:reversal`
    : `${ledgerKey(ref.provider, e.paymentId)}:refund:${e.refunded?.amount ?? 0}`;
  if (await ledgerHas(trx, key)) return ignored('already reversed');
  // What is still owed of that: a capped earlier reversal's shortfall is owed too (credits
  // are one balance), still never more than the balance holds.
  const owed = due - invoice.creditsClawedBack;
  if (owed <= 0 && !whole) return ignored('a larger share is already reversed');
  await lockUser(trx, invoice.userId);
  const balance = await trx
    .selectFrom('creditBalances')
    .select('balance')
    .where('userId', '=', invoice.userId)
    .forUpdate()
    .executeTakeFirst();
  const taken = Math.max(0, Math.min(owed, balance?.balance ?? 0));
  if (taken > 0) {
    await applyGrant(trx, {
      userId: invoice.userId,
      amount: -taken,
      kind: 'adjustment',
      idempotencyKey: key,
      reference: `billing-event:${ref.eventId}`,
      note: `${whole ? '' : 'partial '}${e.cause} of top-up ${e.paymentId}`,
    });
  }
  await trx
    .updateTable('billingInvoices')
    .set({
      status: whole ? 'refunded' : invoice.status,
      creditsClawedBack: invoice.creditsClawedBack + taken,
      refundedAmount: Math.max(invoice.refundedAmount, refundedAmount),
    })
    .where('id', '=', invoice.id)
    .execute();
  const what = e.cause === 'refund' ? (whole ? 'refunded' : 'partly refunded') : 'disputed';
  const share = e.refunded && !whole ? ` (${e.refunded.amount} of ${e.refunded.of} refunded)` : '';
  await raiseAlert(trx, {
    kind: `billing.${e.cause}`,
    severity: 'warning',
    title: `Top-up ${what}: ${taken} of ${owed} credits taken back`,
    body: `User ${invoice.userId}, ${ref.provider} payment ${e.paymentId} (${invoice.amount} ${invoice.currency})${share}. ${Math.max(0, owed - taken)} credits were already spent.`,
    dedupeKey: `billing:${e.cause}:${ref.provider}:${e.paymentId}${whole ? '' : `:${e.refunded?.amount ?? 0}`}`,
  });
  return applied;
}

const causeOf = (ref: EventRef): Cause => ({
  cause: ref.cause,
  provider: ref.provider,
  providerEventId: ref.eventId,
});

function applyEffect(step: Step, effect: Effect): Promise<Outcome> {
  switch (effect.kind) {
    case 'topUpPaid':
      return topUpPaid(step, effect);
    case 'checkoutClosed':
      return checkoutClosed(step, effect);
    case 'subscriptionCheckoutCompleted':
      return subscriptionCheckoutCompleted(step, effect);
    case 'invoicePaid':
      return invoicePaid(step, effect);
    case 'invoiceFailed':
      return invoiceFailed(step, effect);
    case 'subscriptionChanged':
      return subscriptionChanged(step, effect);
    case 'paymentReversed':
      return paymentReversed(step, effect);
  }
}

/** The history's name for an event type. */
const CAUSES: Record<string, string> = {
  'invoice.paid': 'invoice.paid',
  'invoice.payment_failed': 'payment_failed',
  'customer.subscription.updated': 'subscription.updated',
  'customer.subscription.created': 'subscription.created',
  'customer.subscription.deleted': 'subscription.deleted',
  'checkout.paid': 'checkout.paid',
};

/**
 * The `billing.apply` job: applies one stored event in one transaction, under its row lock,
 * so two runs of the same event (a redelivered job, an admin replay racing the first run)
 * apply it once. A failure is recorded on the row and thrown, so pg-boss retries it.
 */
export async function applyBillingEvent(deps: Deps, id: string): Promise<void> {
  let changedUsers: string[] = [];
  try {
    changedUsers = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('billingEvents')
        .select(['provider', 'eventId', 'type', 'status', 'providerCreatedAt', rawPayload])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.status === 'processed' || row.status === 'ignored') return [];
      const payload: unknown = JSON.parse(row.payload);
      const effects = effectsOf(row.provider, payload, (planId) => {
        const plan = findPlan(deps.config, planId);
        if (!plan) return null;
        const end = new Date(row.providerCreatedAt);
        end.setUTCMonth(end.getUTCMonth() + (plan.interval === 'year' ? 12 : 1));
        return end;
      });
      const ref = {
        provider: row.provider,
        eventId: row.eventId,
        at: row.providerCreatedAt,
        cause: CAUSES[row.type] ?? row.type,
        providerEventId: row.eventId,
      };
      const reasons: string[] = [];
      const users: string[] = [];
      for (const effect of effects) {
        const outcome = await applyEffect({ deps, trx, ref }, effect);
        if (outcome.ignored) reasons.push(outcome.ignored);
        if (outcome.tierChangedFor) users.push(outcome.tierChangedFor);
      }
      const status: BillingEventStatus =
        effects.length === 0 || reasons.length === effects.length ? 'ignored' : 'processed';
      await trx
        .updateTable('billingEvents')
        .set((eb) => ({
          status,
          error: effects.length === 0 ? 'not handled' : reasons.join('; ') || null,
          attempts: eb('attempts', '+', 1),
          processedAt: new Date(deps.clock.now()),
        }))
        .where('id', '=', id)
        .execute();
      return users;
    });
  } catch (error) {
    await deps.db
      .updateTable('billingEvents')
      .set((eb) => ({
        status: 'failed',
        error: error instanceof Error ? error.message.slice(0, 1000) : String(error),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    throw error;
  }
  // The tier travels with a cached API key: every process drops it (after the commit).
  for (const userId of changedUsers) await deps.auth.userChanged(userId);
}

/** Applies one stored provider event; sent in the transaction that stored it. */
export const applyBillingEventJob = defineJob({
  name: 'billing.apply',
  payload: z.object({ id: z.uuid() }),
  handler: (deps, { id }) => applyBillingEvent(deps, id),
});
