import { loadConfig } from '@phoenix/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsFor,
  expectPhoenixError,
  type SignedUp,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';
import { listPacks } from './catalogue.ts';
import { hexSignature } from './providers/fake.ts';
import { subscriptionChanges } from './test-fixture.ts';

const WAIT = { timeout: 30_000, interval: 100 };
let server: TestServer;
let admin: SignedUp;

beforeAll(async () => {
  // No provider configured: the fake one is the default.
  server = await startAdminTestServer({ worker: true });
  admin = await signUp(server, { label: 'billing-admin', role: 'admin' });
});
afterAll(async () => {
  await server?.close();
});

const balance = async (user: SignedUp) =>
  (await user.client.gateway.credits.balance.query()).balance;

/** The fake provider's hosted page, then its button, as a browser would use them. */
async function pay(url: string, button: 'pay' | 'decline' = 'pay') {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = html.match(new RegExp(`action="([^"]+/${button})"`))?.[1];
  if (!action) throw new Error(`no ${button} button on ${url}`);
  return fetch(new URL(action, url), { method: 'POST', redirect: 'manual' });
}

describe('catalogue', () => {
  it('lists plans and packs to anyone, with the quotas of each tier', async () => {
    const anonymous = server.client();
    const plans = await anonymous.billing.plans.query();
    expect(plans.items.map((p) => p.id)).toEqual(['free', 'premium-monthly', 'premium-yearly']);
    const premium = plans.items[1];
    expect(premium).toMatchObject({ tier: 'PREMIUM', interval: 'month', monthlyCredits: 100_000 });
    expect(premium?.prices[0]).toEqual({ currency: 'usd', amount: 999 });
    expect(premium?.quotas).toEqual(server.deps.config.gateway.quotas.PREMIUM);
    const packs = await anonymous.billing.packs.query();
    expect(packs.items.map((p) => [p.id, p.credits])).toEqual([
      ['credits-10k', 10_000],
      ['credits-50k', 50_000],
      ['credits-200k', 200_000],
    ]);
    const rest = await fetch(`${server.url}/api/billing/packs`);
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { items: unknown[] }).items).toHaveLength(3);
  });

  it('takes plans and packs from config', () => {
    const config = loadConfig({
      BILLING_PACKS: JSON.stringify([
        { id: 'tiny', name: 'Tiny', credits: 5, prices: { dzd: 10_000 } },
      ]),
    });
    expect(listPacks(config).items).toEqual([
      { id: 'tiny', name: 'Tiny', credits: 5, prices: [{ currency: 'dzd', amount: 10_000 }] },
    ]);
    expect(() => loadConfig({ BILLING_PLANS: '[{"id":"x"}]' })).toThrow(/BILLING_PLANS/);
  });
});

describe('the fake provider, end to end with no keys', () => {
  it('a top-up: checkout page served by the hub, signed webhook, credits land once', async () => {
    const user = await signUp(server, { label: 'fake-topup', credits: 0 });
    const checkout = await user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k' });
    expect(checkout.provider).toBe('fake');
    expect(checkout.url).toMatch(new RegExp(`^${server.url}/billing/fake/checkout/fake_cs_`));
    const paid = await pay(checkout.url);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('/billing/return?checkout=success');
    await expect.poll(() => balance(user), WAIT).toBe(10_000);

    // Paying the same checkout again is refused; nothing more lands.
    const again = await fetch(new URL(`${new URL(checkout.url).pathname}/pay`, server.url), {
      method: 'POST',
    });
    expect(again.status).toBe(409);
    expect(await balance(user)).toBe(10_000);
    const invoices = await user.client.billing.invoices.query();
    expect(invoices.items).toMatchObject([
      { provider: 'fake', kind: 'top_up', credits: 10_000, amount: 500, currency: 'usd' },
    ]);
  });

  it('a subscription: the paid checkout sets PREMIUM and grants the monthly allowance', async () => {
    const user = await signUp(server, { label: 'fake-sub', credits: 0 });
    const checkout = await user.client.billing.checkout.subscribe.mutate({
      plan: 'premium-monthly',
    });
    await pay(checkout.url);
    await expect.poll(async () => (await user.client.auth.me.query()).tier, WAIT).toBe('PREMIUM');
    expect(await balance(user)).toBe(100_000);
    const state = await user.client.billing.subscription.query();
    expect(state).toMatchObject({ tier: 'PREMIUM', status: 'active', provider: 'fake' });
    expect(state.renewsAt).not.toBeNull();
    const history = await user.client.billing.history.query();
    expect(history.items).toMatchObject([
      { fromTier: 'FREE', toTier: 'PREMIUM', toPlan: 'premium-monthly', cause: 'checkout.paid' },
    ]);
    const portal = await user.client.billing.portal.mutate({});
    expect(portal).toEqual({ provider: 'fake', url: `${server.url}/billing/fake/portal` });
    await expectPhoenixError(
      user.client.billing.checkout.subscribe.mutate({ plan: 'premium-yearly' }),
      {
        code: 'CONFLICT',
        reason: 'BILLING_ALREADY_SUBSCRIBED',
      },
    );
  });

  it('a second plan checkout closes the first: its page can no longer be paid', async () => {
    const user = await signUp(server, { label: 'fake-two-plans', credits: 0 });
    const first = await user.client.billing.checkout.subscribe.mutate({ plan: 'premium-monthly' });
    const second = await user.client.billing.checkout.subscribe.mutate({ plan: 'premium-yearly' });
    expect(await (await fetch(first.url)).text()).toContain('This checkout is canceled');
    const refused = await fetch(`${first.url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { reason: 'BILLING_CHECKOUT_CLOSED' } });
    await pay(second.url);
    await expect.poll(async () => (await user.client.auth.me.query()).tier, WAIT).toBe('PREMIUM');
    const state = await user.client.billing.subscription.query();
    expect(state.plan?.id).toBe('premium-yearly');
  });

  it('paying claims the checkout at once: a new plan checkout right after is refused', async () => {
    const user = await signUp(server, { label: 'fake-paid-then-again', credits: 0 });
    const first = await user.client.billing.checkout.subscribe.mutate({ plan: 'premium-monthly' });
    expect((await pay(first.url)).status).toBe(303);
    // Claimed by the click itself, before the job applies the payment.
    const row = await server.deps.db
      .selectFrom('billingCheckouts')
      .select('status')
      .where('id', '=', first.checkoutId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
    await expectPhoenixError(
      user.client.billing.checkout.subscribe.mutate({ plan: 'premium-yearly' }),
      {
        code: 'CONFLICT',
        reason: 'BILLING_ALREADY_SUBSCRIBED',
      },
    );
    await expect.poll(async () => (await user.client.auth.me.query()).tier, WAIT).toBe('PREMIUM');
  });

  it('a declined checkout pays nothing', async () => {
    const user = await signUp(server, { label: 'fake-decline', credits: 0 });
    const checkout = await user.client.billing.checkout.topUp.mutate({ pack: 'credits-50k' });
    expect((await pay(checkout.url, 'decline')).status).toBe(303);
    await expect
      .poll(async () => {
        const row = await server.deps.db
          .selectFrom('billingCheckouts')
          .select('status')
          .where('id', '=', checkout.checkoutId)
          .executeTakeFirstOrThrow();
        return row.status;
      }, WAIT)
      .toBe('failed');
    expect(await balance(user)).toBe(0);
  });

  it('a checkout id the fake provider never made is a 404, whatever it holds', async () => {
    for (const id of ['%00', 'fake_cs_%00', 'fake_cs_a%2Fb', 'nothing']) {
      const page = await fetch(`${server.url}/billing/fake/checkout/${id}`);
      expect(page.status, id).toBe(404);
      const paid = await fetch(`${server.url}/billing/fake/checkout/${id}/pay`, { method: 'POST' });
      expect(paid.status, id).toBe(404);
    }
  });

  it('refuses a fake webhook that is unsigned or signed with another secret', async () => {
    const body = JSON.stringify({
      id: 'fake_evt_forged',
      type: 'checkout.paid',
      created_at: 1,
      data: {},
    });
    for (const signature of [null, hexSignature('not-the-secret-at-all', body)]) {
      const response = await fetch(`${server.url}/webhooks/fake`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...(signature ? { signature } : {}) },
      });
      expect(response.status).toBe(400);
    }
    const stored = await server.deps.db
      .selectFrom('billingEvents')
      .select('id')
      .where('eventId', '=', 'fake_evt_forged')
      .execute();
    expect(stored).toEqual([]);
  });
});

describe('access and input', () => {
  it('a user sees only their own billing; anonymous callers and non-admins are refused', async () => {
    const owner = await signUp(server, { label: 'owner', credits: 0 });
    const other = await signUp(server, { label: 'other' });
    const checkout = await owner.client.billing.checkout.topUp.mutate({ pack: 'credits-10k' });
    await pay(checkout.url);
    await expect.poll(() => balance(owner), WAIT).toBe(10_000);
    expect((await other.client.billing.invoices.query()).items).toEqual([]);
    expect((await other.client.billing.history.query()).items).toEqual([]);
    expect(await other.client.billing.subscription.query()).toMatchObject({
      status: 'none',
      tier: 'FREE',
    });

    await expectPhoenixError(server.client().billing.invoices.query(), { code: 'UNAUTHORIZED' });
    await expectPhoenixError(
      server.client().billing.checkout.topUp.mutate({ pack: 'credits-10k' }),
      {
        code: 'UNAUTHORIZED',
      },
    );
    await expectPhoenixError(other.client.admin.billing.events.list.query(), { code: 'FORBIDDEN' });
    await expectPhoenixError(
      other.client.admin.billing.changeSubscription.mutate({ userId: other.id, tier: 'PREMIUM' }),
      { code: 'FORBIDDEN' },
    );
    await expectPhoenixError(
      admin.client.admin.billing.changeSubscription.mutate({
        userId: crypto.randomUUID(),
        tier: 'PREMIUM',
      }),
      { code: 'NOT_FOUND' },
    );
    await expectPhoenixError(
      admin.client.admin.billing.events.get.query({ id: crypto.randomUUID() }),
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('bad input is a typed 400 naming the field', async () => {
    const user = await signUp(server, { label: 'bad-input' });
    await expectPhoenixError(
      // @ts-expect-error: a misspelt key
      user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k', Provider: 'fake' }),
      { code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED', field: 'Provider' },
    );
    await expectPhoenixError(
      // @ts-expect-error: not a provider
      user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k', provider: 'paypal' }),
      { code: 'BAD_REQUEST', field: 'provider' },
    );
    await expectPhoenixError(user.client.billing.checkout.topUp.mutate({ pack: 'Credits 10k' }), {
      code: 'BAD_REQUEST',
      field: 'pack',
    });
    await expectPhoenixError(user.client.billing.checkout.topUp.mutate({ pack: 'credits-1m' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_UNKNOWN_PACK',
      field: 'pack',
    });
    await expectPhoenixError(user.client.billing.invoices.query({ limit: 0 }), {
      code: 'BAD_REQUEST',
      field: 'limit',
    });
    await expectPhoenixError(user.client.billing.invoices.query({ cursor: 'not-a-cursor' }), {
      code: 'BAD_REQUEST',
      reason: 'BAD_CURSOR',
    });
    await expectPhoenixError(user.client.billing.portal.mutate({ provider: 'stripe' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_PROVIDER_NOT_CONFIGURED',
      field: 'provider',
    });
  });

  it('invoices page with a cursor, newest first', async () => {
    const user = await signUp(server, { label: 'pages', credits: 0 });
    for (const pack of ['credits-10k', 'credits-50k', 'credits-200k']) {
      const checkout = await user.client.billing.checkout.topUp.mutate({ pack });
      await pay(checkout.url);
    }
    await expect.poll(() => balance(user), WAIT).toBe(260_000);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await user.client.billing.invoices.query({
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((i) => i.packId ?? ''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen)).toEqual(new Set(['credits-10k', 'credits-50k', 'credits-200k']));
  });
});

describe('admin', () => {
  it('lists received events with their status; a replay is audited and applies nothing twice', async () => {
    const user = await signUp(server, { label: 'replayed', credits: 0 });
    const checkout = await user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k' });
    await pay(checkout.url);
    await expect.poll(() => balance(user), WAIT).toBe(10_000);

    const page = await admin.client.admin.billing.events.list.query({
      provider: 'fake',
      limit: 100,
    });
    const event = page.items.find((e) => e.status === 'processed' && e.type === 'checkout.paid');
    if (!event) throw new Error('no processed event');
    expect(event).toMatchObject({ provider: 'fake', error: null, attempts: 1 });
    const detail = await admin.client.admin.billing.events.get.query({ id: event.id });
    // The provider's own document, keys as it sent them.
    expect(detail.payload).toMatchObject({
      type: 'checkout.paid',
      data: { checkout_id: expect.any(String) },
    });
    const processed = await admin.client.admin.billing.events.list.query({ status: 'processed' });
    expect(processed.items.every((e) => e.status === 'processed')).toBe(true);
    // The type filter matches the provider's type exactly.
    const paid = await admin.client.admin.billing.events.list.query({
      type: 'checkout.paid',
      limit: 100,
    });
    expect(paid.items.map((e) => e.id)).toContain(event.id);
    expect(new Set(paid.items.map((e) => e.type))).toEqual(new Set(['checkout.paid']));
    const none = await admin.client.admin.billing.events.list.query({ type: 'checkout' });
    expect(none.items).toEqual([]);

    const replay = await admin.client.admin.billing.replay.mutate({ id: event.id });
    expect(replay).toEqual({ id: event.id, status: 'received' });
    await expect
      .poll(
        async () => (await admin.client.admin.billing.events.get.query({ id: event.id })).status,
        WAIT,
      )
      .toMatch(/^(processed|ignored)$/);
    const audit = await auditRowsFor(server, event.id);
    expect(audit).toMatchObject([
      { action: 'admin.billing.replay', resourceType: 'billing_event' },
    ]);
    // Whosever event it was, no balance moved twice.
    const users = await server.deps.db
      .selectFrom('creditTransactions')
      .select(['idempotencyKey'])
      .where('kind', '=', 'purchase')
      .execute();
    const keys = users.map((u) => u.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a manual tier change is audited, recorded in the history and emitted', async () => {
    const user = await signUp(server, { label: 'comped' });
    const changed = await admin.client.admin.billing.changeSubscription.mutate({
      userId: user.id,
      tier: 'PREMIUM',
      note: 'partner',
    });
    expect(changed).toEqual({ userId: user.id, tier: 'PREMIUM', previousTier: 'FREE' });
    expect((await user.client.auth.me.query()).tier).toBe('PREMIUM');
    const audit = await auditRowsFor(server, user.id);
    expect(audit.filter((a) => a.action === 'admin.billing.changeSubscription')).toMatchObject([
      {
        resourceType: 'user.subscription',
        oldValue: { tier: 'FREE' },
        newValue: { tier: 'PREMIUM', note: 'partner' },
      },
    ]);
    expect((await user.client.billing.history.query()).items).toMatchObject([
      { cause: 'admin', fromTier: 'FREE', toTier: 'PREMIUM' },
    ]);
    expect(await subscriptionChanges(server.deps.db)).toContainEqual(
      expect.objectContaining({
        userId: user.id,
        tier: 'PREMIUM',
        previousTier: 'FREE',
        cause: 'admin',
      }),
    );
  });

  it('a tier set through admin.users.update takes the same path: history and event', async () => {
    const user = await signUp(server, { label: 'users-update' });
    await admin.client.admin.users.update.mutate({ userId: user.id, tier: 'PREMIUM' });
    expect((await user.client.auth.me.query()).tier).toBe('PREMIUM');
    expect((await user.client.billing.history.query()).items).toMatchObject([
      { cause: 'admin', fromTier: 'FREE', toTier: 'PREMIUM' },
    ]);
    // Setting the tier it already has changes nothing and records nothing.
    await admin.client.admin.users.update.mutate({ userId: user.id, tier: 'PREMIUM' });
    expect((await user.client.billing.history.query()).items).toHaveLength(1);
    expect(await subscriptionChanges(server.deps.db)).toContainEqual(
      expect.objectContaining({ userId: user.id, tier: 'PREMIUM', cause: 'admin' }),
    );
  });
});

describe('with the fake provider off (production default)', () => {
  it('refuses fake checkouts, pages and webhooks', async () => {
    await using hub = await startAdminTestServer({ env: { BILLING_FAKE_ENABLED: 'false' } });
    const user = await signUp(hub, { label: 'no-fake' });
    await expectPhoenixError(user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k' }), {
      code: 'BAD_REQUEST',
      reason: 'BILLING_PROVIDER_NOT_CONFIGURED',
    });
    expect((await fetch(`${hub.url}/billing/fake/checkout/fake_cs_x`)).status).toBe(404);
    const body = JSON.stringify({
      id: 'fake_evt_off',
      type: 'checkout.paid',
      created_at: 1,
      data: {},
    });
    const signature = hexSignature(hub.deps.config.billing.fakeWebhookSecret, body);
    const response = await fetch(`${hub.url}/webhooks/fake`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', signature },
    });
    expect(response.status).toBe(400);
  });
});
