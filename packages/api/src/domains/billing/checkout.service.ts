import type { AuthUser } from '@phoenix/auth';
import type { PackConfig, PlanConfig } from '@phoenix/config';
import type { PaymentProvider } from '@phoenix/db';
import { conflict, type DomainError, invalid } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import { requirePack, requirePlan } from './catalogue.ts';
import { ensureCustomer } from './customers.ts';
import { chargilyGateway } from './providers/chargily.ts';
import { fakeGateway } from './providers/fake.ts';
import { stripeGateway } from './providers/stripe.ts';
import type { ClosedCheckout, PaymentGateway } from './providers/types.ts';
import type { Checkout, Portal, PortalInput, SubscribeInput, TopUpInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'config'>;
type SubscribeDeps = Deps & Pick<AppDeps, 'kv' | 'log' | 'clock'>;

/**
 * Held while earlier plan checkouts close and the new one opens: several Stripe calls of
 * up to 10 s, each retried once. Should it ever run out, the new row's final update still
 * refuses to reopen a checkout another call closed meanwhile.
 */
const SUBSCRIBE_LOCK_MS = 300_000;
/**
 * A plan checkout paid this recently, with no active subscription recorded, has its
 * subscription on its way (the provider's events, applied by a job, take seconds).
 */
const PAID_PLAN_PENDING_MS = 3_600_000;

const paidPlanPending = (): DomainError =>
  conflict(
    'An earlier plan checkout of yours was paid; the subscription starts once the payment is confirmed',
    { reason: 'BILLING_ALREADY_SUBSCRIBED' },
  );

/** Who is paying, and the hub's address as the caller reached it (the fake checkout's page). */
export interface Payer {
  user: AuthUser;
  baseUrl: string;
}

const notConfigured = (provider: PaymentProvider, what: string): DomainError =>
  invalid(`The ${provider} provider is not configured (${what})`, {
    reason: 'BILLING_PROVIDER_NOT_CONFIGURED',
    field: 'provider',
  });

/** The provider's outbound API, or the setting it still lacks. */
function gatewayOrMissing(
  deps: Deps,
  provider: PaymentProvider,
  baseUrl: string,
): PaymentGateway | { missing: string } {
  const { billing } = deps.config;
  switch (provider) {
    case 'fake':
      return billing.fakeEnabled ? fakeGateway(baseUrl) : { missing: 'BILLING_FAKE_ENABLED' };
    case 'stripe':
      return billing.stripe.secretKey
        ? stripeGateway(deps.config, billing.stripe.secretKey)
        : { missing: 'STRIPE_SECRET_KEY' };
    case 'chargily':
      return billing.chargily.secretKey
        ? chargilyGateway({
            apiUrl: billing.chargily.apiUrl,
            secretKey: billing.chargily.secretKey,
          })
        : { missing: 'CHARGILY_SECRET_KEY' };
  }
}

/** The provider's outbound API, or a 400 naming what is missing. */
export function gatewayFor(deps: Deps, provider: PaymentProvider, baseUrl: string): PaymentGateway {
  const gateway = gatewayOrMissing(deps, provider, baseUrl);
  if ('missing' in gateway) throw notConfigured(provider, gateway.missing);
  return gateway;
}

function pickCurrency(
  prices: Record<string, number>,
  wanted: string | undefined,
  provider: PaymentProvider,
): string {
  const currency =
    wanted ?? (provider === 'chargily' ? 'dzd' : 'usd' in prices ? 'usd' : Object.keys(prices)[0]);
  if (!currency || prices[currency] === undefined) {
    throw invalid(`Not sold in ${currency ?? 'that currency'}`, {
      reason: 'BILLING_CURRENCY_UNSUPPORTED',
      field: 'currency',
    });
  }
  if (provider === 'chargily' && currency !== 'dzd') {
    throw invalid('Chargily Pay charges in DZD only', {
      reason: 'BILLING_CURRENCY_UNSUPPORTED',
      field: 'currency',
    });
  }
  return currency;
}

const returnUrl = (deps: Deps, payer: Payer, outcome: string): string =>
  `${(deps.config.billing.returnUrl ?? `${payer.baseUrl}/billing/return`).replace(/\/$/, '')}?checkout=${outcome}`;

interface Item {
  kind: 'subscription' | 'top_up';
  plan?: PlanConfig;
  pack?: PackConfig;
  currency: string;
  paymentMethod?: 'edahabia' | 'cib' | undefined;
}

/**
 * Opens a hosted checkout: our row first (its id is the provider's idempotency key and the
 * reference in its metadata), then the provider customer (created once), then the
 * provider's checkout, whose id and URL complete the row.
 */
async function openCheckout(
  deps: Deps,
  payer: Payer,
  request: { provider: PaymentProvider; item: Item },
): Promise<Checkout> {
  const { provider, item } = request;
  const gateway = gatewayFor(deps, provider, payer.baseUrl);
  const sold = item.plan ?? item.pack;
  if (!sold) throw new Error('a checkout sells a plan or a pack');
  const amount = sold.prices[item.currency] ?? 0;
  const row = await deps.db
    .insertInto('billingCheckouts')
    .values({
      userId: payer.user.id,
      provider,
      kind: item.kind,
      planId: item.plan?.id ?? null,
      packId: item.pack?.id ?? null,
      credits: item.pack?.credits ?? 0,
      amount,
      currency: item.currency,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const customerId = await ensureCustomer(deps.db, gateway, {
      userId: payer.user.id,
      email: payer.user.email,
      name: payer.user.displayName,
    });
    const opened = await gateway.createCheckout({
      checkoutId: row.id,
      userId: payer.user.id,
      customerId,
      locale: payer.user.locale,
      kind: item.kind,
      item: { id: sold.id, name: sold.name },
      amount,
      currency: item.currency,
      ...(item.plan ? { interval: item.plan.interval } : {}),
      paymentMethod: item.paymentMethod,
      successUrl: returnUrl(deps, payer, 'success'),
      cancelUrl: returnUrl(deps, payer, 'canceled'),
    });
    const completed = await deps.db
      .updateTable('billingCheckouts')
      .set({ providerCheckoutId: opened.providerCheckoutId, url: opened.url })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (completed.numUpdatedRows === 0n) {
      // A newer plan checkout closed this one while it opened: its page must not be paid.
      await gateway.closeCheckout?.(opened.providerCheckoutId);
      throw conflict('A newer plan checkout replaced this one; use that one', {
        reason: 'BILLING_CHECKOUT_IN_PROGRESS',
      });
    }
    return { checkoutId: row.id, provider, url: opened.url };
  } catch (error) {
    await deps.db
      .updateTable('billingCheckouts')
      .set({ status: 'failed' })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .execute();
    throw error;
  }
}

/** `billing.checkout.subscribe`: a hosted checkout of a paid plan (Stripe or fake). */
export async function subscribe(
  deps: SubscribeDeps,
  payer: Payer,
  input: SubscribeInput,
): Promise<Checkout> {
  const provider = input.provider ?? deps.config.billing.defaultProvider;
  const plan = requirePlan(deps.config, input.plan);
  if (provider === 'chargily') {
    throw invalid('Chargily Pay has no recurring payments: subscribe with Stripe', {
      reason: 'BILLING_PROVIDER_UNSUPPORTED',
      field: 'provider',
    });
  }
  if (Object.values(plan.prices).every((price) => price === 0)) {
    throw invalid(`"${plan.id}" is free: nothing to pay`, {
      reason: 'BILLING_FREE_PLAN',
      field: 'plan',
    });
  }
  const currency = pickCurrency(plan.prices, input.currency, provider);
  const held = await deps.db
    .selectFrom('billingSubscriptions')
    .select(['status', 'planId', 'subscriptionId'])
    .where('userId', '=', payer.user.id)
    .executeTakeFirst();
  if (held?.status === 'active' || held?.status === 'past_due') {
    // A second subscription would bill twice: plan changes go through the provider's portal.
    throw conflict(`Already subscribed to "${held.planId}": change plans in the billing portal`, {
      reason: 'BILLING_ALREADY_SUBSCRIBED',
    });
  }
  // One subscription checkout open per user at a time: two paid would be two subscriptions
  // at the provider, and the hub tracks one.
  const lock = await deps.kv.acquireLock(`billing:subscribe:${payer.user.id}`, SUBSCRIBE_LOCK_MS);
  if (!lock) {
    throw conflict('A plan checkout is being opened for you already; try again in a moment', {
      reason: 'BILLING_CHECKOUT_IN_PROGRESS',
    });
  }
  try {
    await refuseIfPlanPaid(deps, payer);
    await closeOpenSubscriptionCheckouts(deps, payer, held?.subscriptionId ?? null);
    return await openCheckout(deps, payer, {
      provider,
      item: { kind: 'subscription', plan, currency },
    });
  } finally {
    await lock.release().catch((error: unknown) => {
      deps.log.warn({ err: error }, 'billing: could not release the subscribe lock (it expires)');
    });
  }
}

/**
 * A plan checkout paid within the hour while no subscription is active: its subscription is
 * on its way (the first check of `subscribe` refuses once it is recorded), so a second
 * plan would bill twice. One paid and then canceled within the hour waits that hour.
 */
async function refuseIfPlanPaid(deps: SubscribeDeps, payer: Payer): Promise<void> {
  const paid = await deps.db
    .selectFrom('billingCheckouts')
    .select('id')
    .where('userId', '=', payer.user.id)
    .where('kind', '=', 'subscription')
    .where('status', '=', 'paid')
    .where('completedAt', '>', new Date(deps.clock.now() - PAID_PLAN_PENDING_MS))
    .executeTakeFirst();
  if (paid) throw paidPlanPending();
}

/**
 * Closes the user's earlier plan checkouts that are still open, at the provider first, so
 * only the one about to open can be paid. One the customer already paid is recorded as
 * paid, and refuses the new one unless its subscription is the one the hub holds (a
 * checkout whose own completion event never arrived).
 */
async function closeOpenSubscriptionCheckouts(
  deps: SubscribeDeps,
  payer: Payer,
  recordedSubscriptionId: string | null,
): Promise<void> {
  const open = await deps.db
    .selectFrom('billingCheckouts')
    .select(['id', 'provider', 'providerCheckoutId'])
    .where('userId', '=', payer.user.id)
    .where('kind', '=', 'subscription')
    .where('status', '=', 'open')
    .execute();
  for (const checkout of open) {
    const closed = await closeAtProvider(deps, payer, checkout);
    if (closed.paid) {
      const recorded =
        closed.subscriptionId !== null && closed.subscriptionId === recordedSubscriptionId;
      await deps.db
        .updateTable('billingCheckouts')
        // Paid now as far as the hub can tell, unless its subscription is already recorded.
        .set(
          recorded
            ? { status: 'paid' }
            : { status: 'paid', completedAt: new Date(deps.clock.now()) },
        )
        .where('id', '=', checkout.id)
        .where('status', '=', 'open')
        .execute();
      if (!recorded) throw paidPlanPending();
      continue;
    }
    const canceled = await deps.db
      .updateTable('billingCheckouts')
      .set({ status: 'canceled' })
      .where('id', '=', checkout.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (canceled.numUpdatedRows > 0n) continue;
    // Not open any more: paid meanwhile (the fake provider's Pay claims its row) or closed.
    const now = await deps.db
      .selectFrom('billingCheckouts')
      .select('status')
      .where('id', '=', checkout.id)
      .executeTakeFirst();
    if (now?.status === 'paid') throw paidPlanPending();
  }
}

/**
 * Closes one checkout at its provider. Without a provider id its opening stopped before the
 * provider answered, or is still under way past the lock (its final update then sees it
 * closed); a provider no longer configured serves no page to pay: both are closed here only.
 */
async function closeAtProvider(
  deps: Deps,
  payer: Payer,
  checkout: { provider: PaymentProvider; providerCheckoutId: string | null },
): Promise<ClosedCheckout> {
  const gateway = gatewayOrMissing(deps, checkout.provider, payer.baseUrl);
  if (!checkout.providerCheckoutId || 'missing' in gateway || !gateway.closeCheckout) {
    return { paid: false };
  }
  return gateway.closeCheckout(checkout.providerCheckoutId);
}

/** `billing.checkout.topUp`: a hosted one-off payment for a credit pack. */
export function topUp(deps: Deps, payer: Payer, input: TopUpInput): Promise<Checkout> {
  const provider = input.provider ?? deps.config.billing.defaultProvider;
  const pack = requirePack(deps.config, input.pack);
  const currency = pickCurrency(pack.prices, input.currency, provider);
  return openCheckout(deps, payer, {
    provider,
    item: { kind: 'top_up', pack, currency, paymentMethod: input.paymentMethod },
  });
}

/** `billing.portal`: Stripe's customer portal (the fake provider's page without Stripe). */
export async function portal(deps: Deps, payer: Payer, input: PortalInput): Promise<Portal> {
  const provider = input.provider ?? (deps.config.billing.stripe.secretKey ? 'stripe' : 'fake');
  const gateway = gatewayFor(deps, provider, payer.baseUrl);
  const customerId = await ensureCustomer(deps.db, gateway, {
    userId: payer.user.id,
    email: payer.user.email,
    name: payer.user.displayName,
  });
  if (!gateway.portal) throw notConfigured(provider, 'portal');
  return { provider, url: await gateway.portal(customerId, returnUrl(deps, payer, 'portal')) };
}
