import { sql } from '@phoenix/db';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  PASSWORD,
  type SignedUp,
  signUp,
  startTestServer,
  type TestServer,
} from '../../testing/index.ts';
import { applyGrant } from '../gateway/index.ts';
import { expireGracePeriods } from './grace.ts';
import {
  BILLING_TEST_ENV,
  checkoutSession,
  STRIPE_API,
  type StripeCalls,
  signedStripe,
  stripeApi,
  stripeCharge,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  subscriptionChanges,
} from './test-fixture.ts';

const WAIT = { timeout: 30_000, interval: 100 };
const DAY = 86_400_000;
const msw = setupServer();
const calls: StripeCalls = { customers: 0, sessions: [], held: new Map(), expired: [] };
const clock = { t: Date.now(), now: () => clock.t };
const seconds = () => Math.floor(clock.t / 1000);
let server: TestServer;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  msw.use(...stripeApi(calls));
  server = await startTestServer({
    worker: true,
    clock,
    env: { ...BILLING_TEST_ENV, GDPR_ERASURE_GRACE_DAYS: '0' },
  });
});
afterEach(() => {
  calls.customers = 0;
  calls.sessions.length = 0;
  calls.held.clear();
  calls.expired.length = 0;
});
afterAll(async () => {
  msw.close();
  await server?.close();
});

const deliver = (signed: { body: string; headers: Record<string, string> }) =>
  fetch(`${server.url}/webhooks/stripe`, {
    method: 'POST',
    body: signed.body,
    headers: signed.headers,
  });

const eventRow = (eventId: string) =>
  server.deps.db
    .selectFrom('billingEvents')
    .selectAll()
    .where('provider', '=', 'stripe')
    .where('eventId', '=', eventId)
    .executeTakeFirst();

/** Waits until the job has applied (or ignored) the event. */
async function settled(eventId: string) {
  await expect
    .poll(async () => (await eventRow(eventId))?.status, WAIT)
    .toMatch(/^(processed|ignored)$/);
  const row = await eventRow(eventId);
  if (!row) throw new Error(`no event ${eventId}`);
  return row;
}

async function send(event: { id: string }, options: { timestamp?: number } = {}) {
  const response = await deliver(
    signedStripe(event, { timestamp: options.timestamp ?? seconds() }),
  );
  expect(response.status).toBe(200);
  return settled(event.id);
}

const customerOf = async (userId: string) =>
  (
    await server.deps.db
      .selectFrom('billingCustomers')
      .select('customerId')
      .where('userId', '=', userId)
      .where('provider', '=', 'stripe')
      .executeTakeFirstOrThrow()
  ).customerId;

const sessionOf = async (checkoutId: string) =>
  (
    await server.deps.db
      .selectFrom('billingCheckouts')
      .select('providerCheckoutId')
      .where('id', '=', checkoutId)
      .executeTakeFirstOrThrow()
  ).providerCheckoutId ?? '';

const balance = async (user: SignedUp) =>
  (await user.client.gateway.credits.balance.query()).balance;

/** A paid top-up session for `user`'s checkout of a pack (the 10k one by default), as Stripe sends it. */
async function paidTopUp(
  user: SignedUp,
  paymentIntent: string,
  pack: { id: string; amount: number } = { id: 'credits-10k', amount: 500 },
) {
  const checkout = await user.client.billing.checkout.topUp.mutate({
    pack: pack.id,
    provider: 'stripe',
  });
  const session = checkoutSession({
    id: await sessionOf(checkout.checkoutId),
    mode: 'payment',
    customer: await customerOf(user.id),
    amountTotal: pack.amount,
    currency: 'usd',
    metadata: { userId: user.id, checkoutId: checkout.checkoutId, kind: 'top_up' },
    paymentIntent,
    paymentStatus: 'paid',
    status: 'complete',
    url: null,
  });
  return stripeEvent('checkout.session.completed', session, seconds());
}

/** `credits` of `user`'s balance spent (as calls would), before a refund arrives. */
const spend = (user: SignedUp, credits: number) =>
  server.deps.db
    .transaction()
    .execute((trx) =>
      applyGrant(trx, { userId: user.id, amount: -credits, kind: 'adjustment', note: 'spent' }),
    );

/** The charge of a payment as Stripe sends it once `amountRefunded` of it was refunded in all. */
const refundedSoFar =
  (charge: { id: string; paymentIntent: string; amount: number; customer: string }) =>
  (amountRefunded: number) =>
    stripeCharge({ ...charge, amountRefunded });

async function subscribed(user: SignedUp) {
  await user.client.billing.checkout.subscribe.mutate({
    plan: 'premium-monthly',
    provider: 'stripe',
  });
  return { customer: await customerOf(user.id), subscription: `sub_${user.id.slice(0, 8)}` };
}

const invoice = (
  user: SignedUp,
  ids: { customer: string; subscription: string },
  f: { id: string; paid: boolean; at: number },
) =>
  stripeInvoice({
    id: f.id,
    customer: ids.customer,
    subscription: ids.subscription,
    plan: 'premium-monthly',
    userId: user.id,
    amount: 999,
    currency: 'usd',
    periodStart: f.at,
    periodEnd: f.at + 30 * 86_400,
    paid: f.paid,
  });

describe('Stripe checkout', () => {
  it('opens hosted checkouts and the portal; one customer even under concurrent first checkouts', async () => {
    const user = await signUp(server, { label: 'stripe-buyer' });
    const checkouts = await Promise.all(
      Array.from({ length: 5 }, () =>
        user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k', provider: 'stripe' }),
      ),
    );
    expect(calls.customers).toBe(1);
    expect(
      checkouts.every((c) => c.url.startsWith('https://checkout.stripe.com/c/pay/cs_test_')),
    ).toBe(true);
    const customer = await customerOf(user.id);
    expect(calls.sessions.map((s) => s.get('customer'))).toEqual(Array(5).fill(customer));
    const first = calls.sessions[0];
    expect(first?.get('mode')).toBe('payment');
    expect(first?.get('line_items[0][price_data][unit_amount]')).toBe('500');
    expect(first?.get('client_reference_id')).toBe(user.id);

    await user.client.billing.checkout.subscribe.mutate({
      plan: 'premium-monthly',
      provider: 'stripe',
    });
    const sub = calls.sessions.at(-1);
    expect(sub?.get('mode')).toBe('subscription');
    expect(sub?.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    expect(sub?.get('subscription_data[metadata][plan]')).toBe('premium-monthly');
    expect(calls.customers).toBe(1);

    const portal = await user.client.billing.portal.mutate({});
    expect(portal).toMatchObject({ provider: 'stripe' });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
  });

  it('a new plan checkout closes the earlier open one at Stripe, so only one can be paid', async () => {
    const user = await signUp(server, { label: 'stripe-two-plans' });
    const plan = { plan: 'premium-monthly', provider: 'stripe' } as const;
    const first = await user.client.billing.checkout.subscribe.mutate(plan);
    const pack = await user.client.billing.checkout.topUp.mutate({
      pack: 'credits-10k',
      provider: 'stripe',
    });
    const second = await user.client.billing.checkout.subscribe.mutate(plan);
    const rows = await server.deps.db
      .selectFrom('billingCheckouts')
      .select(['id', 'status', 'providerCheckoutId'])
      .where('userId', '=', user.id)
      .execute();
    const statusOf = (id: string) => rows.find((r) => r.id === id)?.status;
    expect(statusOf(first.checkoutId)).toBe('canceled');
    expect(statusOf(second.checkoutId)).toBe('open');
    // A credit pack is not a plan: it stays payable beside it.
    expect(statusOf(pack.checkoutId)).toBe('open');
    const firstSession = rows.find((r) => r.id === first.checkoutId)?.providerCheckoutId;
    expect(calls.expired).toEqual([firstSession]);
    expect(calls.held.get(firstSession ?? '')?.status).toBe('expired');
  });

  it('refuses a new plan checkout while an earlier one was paid and its events are on their way', async () => {
    const user = await signUp(server, { label: 'stripe-paid-first' });
    const plan = { plan: 'premium-monthly', provider: 'stripe' } as const;
    const first = await user.client.billing.checkout.subscribe.mutate(plan);
    const row = await server.deps.db
      .selectFrom('billingCheckouts')
      .select('providerCheckoutId')
      .where('id', '=', first.checkoutId)
      .executeTakeFirstOrThrow();
    const sessionId = row.providerCheckoutId ?? '';
    const held = calls.held.get(sessionId);
    if (!held) throw new Error('the session was not opened at Stripe');
    // Paid at Stripe; no webhook has reached the hub yet.
    calls.held.set(sessionId, { ...held, status: 'complete', payment_status: 'paid' });
    await expectPhoenixError(user.client.billing.checkout.subscribe.mutate(plan), {
      code: 'CONFLICT',
      reason: 'BILLING_ALREADY_SUBSCRIBED',
    });
    expect(calls.expired).toEqual([]);
    expect(calls.sessions.filter((s) => s.get('mode') === 'subscription')).toHaveLength(1);
    const statuses = await server.deps.db
      .selectFrom('billingCheckouts')
      .select('status')
      .where('userId', '=', user.id)
      .execute();
    // What Stripe said is kept: the checkout was paid, its events are on their way.
    expect(statuses.map((s) => s.status)).toEqual(['paid']);
  });

  it('opens one plan checkout at a time for a user: one asked while another opens is refused', async () => {
    const user = await signUp(server, { label: 'stripe-plan-race' });
    const plan = { plan: 'premium-monthly', provider: 'stripe' } as const;
    // Stripe holds the first session's creation until the second call has been answered.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = () => {};
    const creating = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    msw.use(
      http.post(
        `${STRIPE_API}/checkout/sessions`,
        async () => {
          arrived();
          await held;
          // Nothing returned: the usual handler answers.
        },
        { once: true },
      ),
    );
    const first = user.client.billing.checkout.subscribe.mutate(plan);
    await creating;
    await expectPhoenixError(user.client.billing.checkout.subscribe.mutate(plan), {
      code: 'CONFLICT',
      reason: 'BILLING_CHECKOUT_IN_PROGRESS',
    });
    release();
    const opened = await first;
    const open = await server.deps.db
      .selectFrom('billingCheckouts')
      .select('id')
      .where('userId', '=', user.id)
      .where('status', '=', 'open')
      .execute();
    expect(open.map((r) => r.id)).toEqual([opened.checkoutId]);
  });

  it('a session paid between the read and the expire is recorded paid and refuses a new plan', async () => {
    const user = await signUp(server, { label: 'stripe-paid-meanwhile' });
    const plan = { plan: 'premium-monthly', provider: 'stripe' } as const;
    const first = await user.client.billing.checkout.subscribe.mutate(plan);
    msw.use(
      http.post(
        `${STRIPE_API}/checkout/sessions/:id/expire`,
        ({ params }) => {
          // The customer completes the payment just before the expire reaches Stripe.
          const id = String(params.id);
          const session = calls.held.get(id);
          if (session) calls.held.set(id, { ...session, status: 'complete' });
          // Nothing returned: the usual handler answers, with Stripe's 400 for a session not open.
        },
        { once: true },
      ),
    );
    await expectPhoenixError(user.client.billing.checkout.subscribe.mutate(plan), {
      code: 'CONFLICT',
      reason: 'BILLING_ALREADY_SUBSCRIBED',
    });
    const row = await server.deps.db
      .selectFrom('billingCheckouts')
      .select(['status', 'completedAt'])
      .where('id', '=', first.checkoutId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
    expect(row.completedAt).not.toBeNull();
    // Until its subscription is recorded, another plan checkout is refused without asking Stripe.
    const sessionsBefore = calls.sessions.length;
    await expectPhoenixError(user.client.billing.checkout.subscribe.mutate(plan), {
      code: 'CONFLICT',
      reason: 'BILLING_ALREADY_SUBSCRIBED',
    });
    expect(calls.sessions).toHaveLength(sessionsBefore);
    expect(calls.expired).toEqual([]);
  });

  it('an earlier plan checkout gone at Stripe no longer blocks a new one', async () => {
    const user = await signUp(server, { label: 'stripe-gone' });
    const plan = { plan: 'premium-monthly', provider: 'stripe' } as const;
    const first = await user.client.billing.checkout.subscribe.mutate(plan);
    calls.held.clear();
    const second = await user.client.billing.checkout.subscribe.mutate(plan);
    const statuses = await server.deps.db
      .selectFrom('billingCheckouts')
      .select(['id', 'status'])
      .where('userId', '=', user.id)
      .execute();
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({
      [first.checkoutId]: 'canceled',
      [second.checkoutId]: 'open',
    });
  });

  it('refuses what cannot be sold: Chargily subscriptions, the free plan, unknown items and currencies', async () => {
    const user = await signUp(server, { label: 'stripe-refused' });
    const billing = user.client.billing.checkout;
    await expectPhoenixError(
      billing.subscribe.mutate({ plan: 'premium-monthly', provider: 'chargily' }),
      {
        code: 'BAD_REQUEST',
        reason: 'BILLING_PROVIDER_UNSUPPORTED',
        field: 'provider',
      },
    );
    await expectPhoenixError(billing.subscribe.mutate({ plan: 'free', provider: 'stripe' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_FREE_PLAN',
    });
    await expectPhoenixError(billing.subscribe.mutate({ plan: 'gold', provider: 'stripe' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_UNKNOWN_PLAN',
      field: 'plan',
    });
    await expectPhoenixError(billing.topUp.mutate({ pack: 'credits-10k', currency: 'jpy' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_CURRENCY_UNSUPPORTED',
      field: 'currency',
    });
    expect(calls.sessions).toHaveLength(0);
  });
});

describe('GDPR erasure', () => {
  it("deletes the user's Stripe customer through Stripe's API once the erasure commits", async () => {
    const deleted: string[] = [];
    msw.use(
      http.delete(`${STRIPE_API}/customers/:id`, ({ params }) => {
        deleted.push(String(params.id));
        return HttpResponse.json({ id: params.id, object: 'customer', deleted: true });
      }),
    );
    const user = await signUp(server, { label: 'stripe-erased' });
    await user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k', provider: 'stripe' });
    const customer = await customerOf(user.id);
    expect(customer).toMatch(/^cus_/);
    await user.client.gdpr.erasure.request.mutate({ password: PASSWORD });
    await expect.poll(() => deleted, WAIT).toEqual([customer]);
    const left = await server.deps.db
      .selectFrom('billingCustomers')
      .select('customerId')
      .where('userId', '=', user.id)
      .execute();
    expect(left).toEqual([]);
  });
});

describe('Stripe webhooks', () => {
  it('a top-up lands once when the same event is delivered three times at once', async () => {
    const user = await signUp(server, { label: 'stripe-topup', credits: 0 });
    const event = await paidTopUp(user, 'pi_topup_once');
    const signed = signedStripe(event);
    const answers = await Promise.all([deliver(signed), deliver(signed), deliver(signed)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { duplicate: boolean }[];
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    const row0 = await settled(event.id);
    expect(row0.status).toBe('processed');
    expect(await balance(user)).toBe(10_000);

    // Another event for the same payment (Stripe's async success) credits nothing more.
    const again = stripeEvent(
      'checkout.session.async_payment_succeeded',
      event.data.object,
      seconds(),
    );
    expect((await send(again)).status).toBe('ignored');
    expect(await balance(user)).toBe(10_000);
    const ledger = await user.client.gateway.credits.transactions.query();
    expect(ledger.items.filter((t) => t.kind === 'purchase')).toHaveLength(1);
    const invoices = await user.client.billing.invoices.query();
    expect(invoices.items).toMatchObject([
      { kind: 'top_up', packId: 'credits-10k', credits: 10_000, amount: 500, status: 'paid' },
    ]);
  });

  it('refuses a bad signature, a stale timestamp, an altered body and a missing header; stores nothing', async () => {
    const user = await signUp(server, { label: 'stripe-forged', credits: 0 });
    const event = await paidTopUp(user, 'pi_forged');
    const count = async () =>
      Number(
        (
          await server.deps.db
            .selectFrom('billingEvents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const wrongSecret = signedStripe(event, { secret: 'whsec_not_ours', timestamp: seconds() });
    const stale = signedStripe(event, { timestamp: seconds() - 301 });
    const good = signedStripe(event, { timestamp: seconds() });
    const altered = { ...good, body: good.body.replace('"amount_total":500', '"amount_total":5') };
    const unsigned = { body: good.body, headers: { 'content-type': 'application/json' } };
    for (const attempt of [wrongSecret, stale, altered, unsigned]) {
      const response = await deliver(attempt);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { reason: string } };
      expect(body.error.reason).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await count()).toBe(before);
    expect(await balance(user)).toBe(0);
    // Within the 300 s tolerance it is taken.
    expect((await deliver(signedStripe(event, { timestamp: seconds() - 290 }))).status).toBe(200);
    await settled(event.id);
    expect(await balance(user)).toBe(10_000);
  });

  it('a paid invoice sets the tier and grants the allowance; an older subscription update is ignored', async () => {
    const user = await signUp(server, { label: 'stripe-sub', credits: 0 });
    const { secret } = await user.client.auth.apiKeys.create.mutate({
      name: 'k',
      scopes: ['read'],
    });
    const viaKey = server.client(secret);
    expect((await viaKey.auth.me.query()).tier).toBe('FREE');
    const ids = await subscribed(user);
    const t0 = seconds();

    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_first', paid: true, at: t0 }), t0),
    );
    expect((await user.client.auth.me.query()).tier).toBe('PREMIUM');
    // The API key's cached user learnt the tier at once: quotas follow it.
    expect((await viaKey.auth.me.query()).tier).toBe('PREMIUM');
    expect(await balance(user)).toBe(100_000);
    const state = await user.client.billing.subscription.query();
    expect(state).toMatchObject({
      tier: 'PREMIUM',
      status: 'active',
      provider: 'stripe',
      graceUntil: null,
    });
    expect(state.plan?.id).toBe('premium-monthly');
    expect(state.renewsAt?.getTime()).toBe((t0 + 30 * 86_400) * 1000);

    // Deleted at t0+20; an update stamped t0+10 arrives after it and must not revive it.
    const sub = (status: 'active' | 'canceled') =>
      stripeSubscription({
        id: ids.subscription,
        customer: ids.customer,
        plan: 'premium-monthly',
        userId: user.id,
        status,
        periodStart: t0,
        periodEnd: t0 + 30 * 86_400,
      });
    await send(stripeEvent('customer.subscription.deleted', sub('canceled'), t0 + 20));
    expect((await user.client.auth.me.query()).tier).toBe('FREE');
    const late = await send(stripeEvent('customer.subscription.updated', sub('active'), t0 + 10));
    expect(late).toMatchObject({
      status: 'ignored',
      error: 'older than the subscription state held',
    });
    expect((await user.client.billing.subscription.query()).status).toBe('canceled');
    expect((await user.client.auth.me.query()).tier).toBe('FREE');
    // The same invoice delivered again (a new event id) grants nothing more.
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_first', paid: true, at: t0 }), t0),
    );
    expect(await balance(user)).toBe(100_000);

    const history = await user.client.billing.history.query();
    expect(history.items.map((h) => [h.cause, h.fromTier, h.toTier]).reverse()).toEqual([
      ['invoice.paid', 'FREE', 'PREMIUM'],
      ['subscription.deleted', 'PREMIUM', 'FREE'],
    ]);
    const mine = (await subscriptionChanges(server.deps.db))
      .map((p) => p as { userId: string; tier: string; previousTier: string })
      .filter((p) => p.userId === user.id);
    expect(mine.map((p) => [p.previousTier, p.tier])).toEqual([
      ['FREE', 'PREMIUM'],
      ['PREMIUM', 'FREE'],
    ]);

    // Subscribing again: the first checkout's own completion event never came, so its row
    // is still open; Stripe says it was paid, for the subscription the hub holds (ended).
    // That is no pending plan: the new checkout opens.
    const [first] = await server.deps.db
      .selectFrom('billingCheckouts')
      .select(['id', 'providerCheckoutId'])
      .where('userId', '=', user.id)
      .execute();
    const session = calls.held.get(first?.providerCheckoutId ?? '');
    if (!first || !session) throw new Error('the first checkout was not opened at Stripe');
    calls.held.set(session.id, { ...session, status: 'complete', subscription: ids.subscription });
    const again = await user.client.billing.checkout.subscribe.mutate({
      plan: 'premium-monthly',
      provider: 'stripe',
    });
    const rows = await server.deps.db
      .selectFrom('billingCheckouts')
      .select(['id', 'status', 'completedAt'])
      .where('userId', '=', user.id)
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.completedAt]]))).toEqual({
      [first.id]: ['paid', null],
      [again.checkoutId]: ['open', null],
    });
  });

  it('a failed payment starts a grace period; when it runs out the tier drops to FREE', async () => {
    const user = await signUp(server, { label: 'stripe-grace', credits: 0 });
    const ids = await subscribed(user);
    const t0 = seconds();
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_g1', paid: true, at: t0 }), t0),
    );
    clock.t += 30 * DAY;
    const t1 = seconds();
    await send(
      stripeEvent(
        'invoice.payment_failed',
        invoice(user, ids, { id: 'in_g2', paid: false, at: t1 }),
        t1,
      ),
    );
    const grace = await user.client.billing.subscription.query();
    expect(grace).toMatchObject({ tier: 'PREMIUM', status: 'past_due' });
    expect(grace.graceUntil?.getTime()).toBe(clock.t + 7 * DAY);
    expect(await expireGracePeriods(server.deps)).toBe(0);

    clock.t += 7 * DAY + 1;
    expect(await expireGracePeriods(server.deps)).toBe(1);
    expect(await user.client.billing.subscription.query()).toMatchObject({
      tier: 'FREE',
      status: 'canceled',
      graceUntil: null,
    });
    expect((await user.client.billing.history.query()).items[0]).toMatchObject({
      cause: 'grace_expired',
      fromTier: 'PREMIUM',
      toTier: 'FREE',
    });
    const invoices = await user.client.billing.invoices.query();
    expect(invoices.items.map((i) => i.status).sort()).toEqual(['failed', 'paid']);

    // The retried payment succeeds later: active again.
    const t2 = seconds();
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_g2', paid: true, at: t2 }), t2),
    );
    expect(await user.client.billing.subscription.query()).toMatchObject({
      tier: 'PREMIUM',
      status: 'active',
    });
  });

  it('emails the user when the tier changes, not on a status-only change or a renewal', async () => {
    const user = await signUp(server, { label: 'stripe-mail', credits: 0 });
    const ids = await subscribed(user);
    const sub = (status: 'active' | 'canceled', at: number) =>
      stripeSubscription({
        id: ids.subscription,
        customer: ids.customer,
        plan: 'premium-monthly',
        userId: user.id,
        status,
        periodStart: at,
        periodEnd: at + 30 * 86_400,
      });
    const t0 = seconds();
    // FREE -> PREMIUM.
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_m1', paid: true, at: t0 }), t0),
    );
    // active -> active (Stripe's update after the payment): nothing changed, nothing emitted.
    await send(stripeEvent('customer.subscription.updated', sub('active', t0), t0));
    clock.t += 30 * DAY;
    const t1 = seconds();
    // active -> past_due, the tier kept during grace; then paid: past_due -> active.
    await send(
      stripeEvent(
        'invoice.payment_failed',
        invoice(user, ids, { id: 'in_m2', paid: false, at: t1 }),
        t1,
      ),
    );
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_m2', paid: true, at: t1 }), t1),
    );
    clock.t += 30 * DAY;
    const t2 = seconds();
    // A renewal: a new paid invoice, the same plan, still active.
    await send(
      stripeEvent('invoice.paid', invoice(user, ids, { id: 'in_m3', paid: true, at: t2 }), t2),
    );
    // PREMIUM -> FREE.
    await send(stripeEvent('customer.subscription.deleted', sub('canceled', t2), t2));

    const { rows: events } = await sql<{ id: string; tiers: string; status: string }>`
      select id, payload->>'previousTier' || '>' || (payload->>'tier') as tiers,
        payload->>'status' as status
      from domain_events
      where type = 'subscription.changed' and payload->>'userId' = ${user.id}
      order by occurred_at, id`.execute(server.deps.db);
    expect(events.map((e) => [e.tiers, e.status])).toEqual([
      ['FREE>PREMIUM', 'active'],
      ['PREMIUM>PREMIUM', 'past_due'],
      ['PREMIUM>PREMIUM', 'active'],
      ['PREMIUM>FREE', 'canceled'],
    ]);
    // Every delivery of these events to the email subscriber has run: the count is final.
    const jobs = sql.table(`${server.deps.jobs.schema}.job`);
    await expect
      .poll(async () => {
        const { rows } = await sql<{ state: string }>`
          select state from ${jobs}
          where name = 'event.deliver' and data->>'subscriber' = 'email'
            and data->'event'->>'id' in (${sql.join(events.map((e) => e.id))})`.execute(
          server.deps.db,
        );
        return rows.length === events.length && rows.every((r) => r.state === 'completed');
      }, WAIT)
      .toBe(true);
    const emails = await server.deps.db
      .selectFrom('emailLogs')
      .select('eventId')
      .where('userId', '=', user.id)
      .where('trigger', '=', 'subscription_changed')
      .execute();
    const emailed = new Set(emails.map((e) => e.eventId));
    expect(events.filter((e) => emailed.has(e.id)).map((e) => e.tiers)).toEqual([
      'FREE>PREMIUM',
      'PREMIUM>FREE',
    ]);
    expect(emails).toHaveLength(2);
  });

  it('a refund takes back only unspent top-up credits, never below zero, and raises an alert', async () => {
    const user = await signUp(server, { label: 'stripe-refund', credits: 0 });
    await send(await paidTopUp(user, 'pi_refunded'));
    expect(await balance(user)).toBe(10_000);
    // 7,000 credits are spent before the refund arrives.
    await spend(user, 7_000);
    const charge = stripeCharge({
      paymentIntent: 'pi_refunded',
      amount: 500,
      customer: await customerOf(user.id),
    });
    expect((await send(stripeEvent('charge.refunded', charge, seconds()))).status).toBe(
      'processed',
    );
    expect(await balance(user)).toBe(0);
    const [topUp] = (await user.client.billing.invoices.query()).items;
    expect(topUp).toMatchObject({ status: 'refunded', credits: 10_000, creditsClawedBack: 3_000 });
    // A dispute of the same payment takes nothing more.
    const dispute = {
      id: 'dp_test_1',
      object: 'dispute',
      amount: 500,
      charge: charge.id,
      currency: 'usd',
      payment_intent: 'pi_refunded',
      reason: 'fraudulent',
      status: 'needs_response',
    };
    expect((await send(stripeEvent('charge.dispute.created', dispute, seconds()))).status).toBe(
      'ignored',
    );
    expect(await balance(user)).toBe(0);
    const alerts = await server.deps.db
      .selectFrom('adminAlerts')
      .selectAll()
      .where('kind', '=', 'billing.refund')
      .execute();
    expect(alerts.some((a) => a.body.includes(user.id) && a.title.includes('3000 of 10000'))).toBe(
      true,
    );
  });

  it('a refund applied before its payment takes the credits back once the top-up lands', async () => {
    const user = await signUp(server, { label: 'stripe-early-refund', credits: 0 });
    const charge = stripeCharge({
      paymentIntent: 'pi_early',
      amount: 500,
      customer: await customerOf(user.id).catch(() => 'cus_none'),
    });
    // The refund's job runs first: no top-up yet, so it is set aside.
    const refund = stripeEvent('charge.refunded', charge, seconds());
    expect((await send(refund)).status).toBe('ignored');
    // The payment's event is applied after it: the credits land, and the refund is applied.
    await send(await paidTopUp(user, 'pi_early'));
    await expect.poll(async () => (await eventRow(refund.id))?.status, WAIT).toBe('processed');
    expect(await balance(user)).toBe(0);
    const [topUp] = (await user.client.billing.invoices.query()).items;
    expect(topUp).toMatchObject({ status: 'refunded', credits: 10_000, creditsClawedBack: 10_000 });
  });

  it('a partial refund takes back the refunded share, rounded down; the rest of the refund the remainder', async () => {
    const user = await signUp(server, { label: 'stripe-partial', credits: 0 });
    // 200,000 credits for $60.00: 33.3 credits a cent.
    await send(await paidTopUp(user, 'pi_partial', { id: 'credits-200k', amount: 6_000 }));
    expect(await balance(user)).toBe(200_000);
    const chargeOf = refundedSoFar({
      id: 'ch_partial',
      paymentIntent: 'pi_partial',
      amount: 6_000,
      customer: await customerOf(user.id),
    });

    // $10.00 of $60.00: 200,000 * 1,000 / 6,000 = 33,333.3, so 33,333 go.
    const partial = chargeOf(1_000);
    expect(partial).toMatchObject({ refunded: false, amount_refunded: 1_000 });
    expect((await send(stripeEvent('charge.refunded', partial, seconds()))).status).toBe(
      'processed',
    );
    expect(await balance(user)).toBe(166_667);
    const [afterPartial] = (await user.client.billing.invoices.query()).items;
    expect(afterPartial).toMatchObject({
      status: 'paid',
      credits: 200_000,
      creditsClawedBack: 33_333,
    });

    // The rest is refunded: Stripe's next event carries the total, $60.00.
    const full = chargeOf(6_000);
    expect(full).toMatchObject({ refunded: true, amount_refunded: 6_000 });
    expect((await send(stripeEvent('charge.refunded', full, seconds()))).status).toBe('processed');
    expect(await balance(user)).toBe(0);
    const [afterFull] = (await user.client.billing.invoices.query()).items;
    expect(afterFull).toMatchObject({ status: 'refunded', creditsClawedBack: 200_000 });

    // The partial refund's event again (late, or a second delivery): nothing more.
    expect((await send(stripeEvent('charge.refunded', partial, seconds()))).status).toBe('ignored');
    const ledger = await user.client.gateway.credits.transactions.query();
    const clawbacks = ledger.items.filter((t) => t.note?.includes('refund of top-up pi_partial'));
    expect(clawbacks.map((t) => [t.note, t.amount]).reverse()).toEqual([
      ['partial refund of top-up pi_partial', -33_333],
      ['refund of top-up pi_partial', -166_667],
    ]);
  });

  it('a refund total already covered by a larger one takes nothing, even when that one was capped by the balance', async () => {
    const user = await signUp(server, { label: 'stripe-capped', credits: 0 });
    const admin = await signUp(server, { label: 'stripe-capped-admin', role: 'admin' });
    await send(await paidTopUp(user, 'pi_capped'));
    // Every credit of the $5.00 top-up is spent before any refund arrives.
    await spend(user, 10_000);
    const chargeOf = refundedSoFar({
      id: 'ch_capped',
      paymentIntent: 'pi_capped',
      amount: 500,
      customer: await customerOf(user.id),
    });
    // Two refunds, $1.00 then $2.00; Stripe's events carry the totals, and the second
    // ($3.00 so far, 6,000 credits) arrives first: the balance is empty, nothing is taken.
    const first = stripeEvent('charge.refunded', chargeOf(100), seconds());
    const second = stripeEvent('charge.refunded', chargeOf(300), seconds());
    const applied = await send(second);
    expect(applied.status).toBe('processed');
    expect(await balance(user)).toBe(0);
    const [capped] = (await user.client.billing.invoices.query()).items;
    expect(capped).toMatchObject({ status: 'paid', creditsClawedBack: 0 });

    // The user buys credits again with another payment.
    await send(await paidTopUp(user, 'pi_after'));
    expect(await balance(user)).toBe(10_000);

    // The $1.00 refund's event, late: its refund is inside the $3.00 already applied.
    const late = await send(first);
    expect(late).toMatchObject({ status: 'ignored' });
    expect(await balance(user)).toBe(10_000);
    // The applied event replayed by an admin (documented as safe): nothing either.
    await admin.client.admin.billing.replay.mutate({ id: applied.id });
    expect((await settled(second.id)).status).toMatch(/^(processed|ignored)$/);
    expect(await balance(user)).toBe(10_000);
    const ledger = await user.client.gateway.credits.transactions.query();
    expect(ledger.items.filter((t) => t.note?.includes('pi_capped'))).toEqual([]);

    // A new refund ($4.00 so far, 8,000 credits) takes what the payment still owes.
    expect((await send(stripeEvent('charge.refunded', chargeOf(400), seconds()))).status).toBe(
      'processed',
    );
    expect(await balance(user)).toBe(2_000);
    const [after] = (await user.client.billing.invoices.query()).items.filter(
      (i) => i.creditsClawedBack > 0,
    );
    expect(after).toMatchObject({ status: 'paid', creditsClawedBack: 8_000 });
  });
});
