import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type SignedUp,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';
import {
  BILLING_TEST_ENV,
  chargilyApi,
  chargilyCheckout,
  chargilyEvent,
  signedChargily,
} from './test-fixture.ts';

const WAIT = { timeout: 30_000, interval: 100 };
const msw = setupServer();
const calls = { customers: 0, checkouts: [] as Record<string, unknown>[] };
let server: TestServer;
let admin: SignedUp;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  msw.use(...chargilyApi(calls));
  server = await startAdminTestServer({ worker: true, env: BILLING_TEST_ENV });
  admin = await signUp(server, { label: 'chargily-admin', role: 'admin' });
});
afterEach(() => {
  calls.customers = 0;
  calls.checkouts.length = 0;
});
afterAll(async () => {
  msw.close();
  await server?.close();
});

const deliver = (signed: { body: string; headers: Record<string, string> }) =>
  fetch(`${server.url}/webhooks/chargily`, {
    method: 'POST',
    body: signed.body,
    headers: signed.headers,
  });

const eventRow = (eventId: string) =>
  server.deps.db
    .selectFrom('billingEvents')
    .selectAll()
    .where('provider', '=', 'chargily')
    .where('eventId', '=', eventId)
    .executeTakeFirst();

async function settled(eventId: string) {
  await expect
    .poll(async () => (await eventRow(eventId))?.status, WAIT)
    .toMatch(/^(processed|ignored)$/);
  const row = await eventRow(eventId);
  if (!row) throw new Error(`no event ${eventId}`);
  return row;
}

const balance = async (user: SignedUp) =>
  (await user.client.gateway.credits.balance.query()).balance;

/** A Chargily checkout of the 10k pack for `user`, and the checkout object Chargily would send back. */
async function chargilyTopUp(user: SignedUp, status: 'paid' | 'failed' | 'canceled') {
  const checkout = await user.client.billing.checkout.topUp.mutate({
    pack: 'credits-10k',
    provider: 'chargily',
    paymentMethod: 'edahabia',
  });
  const row = await server.deps.db
    .selectFrom('billingCheckouts')
    .innerJoin('billingCustomers', 'billingCustomers.userId', 'billingCheckouts.userId')
    .select(['providerCheckoutId', 'customerId'])
    .where('billingCheckouts.id', '=', checkout.checkoutId)
    .where('billingCustomers.provider', '=', 'chargily')
    .executeTakeFirstOrThrow();
  return {
    checkout,
    object: chargilyCheckout({
      id: row.providerCheckoutId ?? '',
      amount: 750,
      customerId: row.customerId,
      status,
      metadata: { user_id: user.id, checkout_id: checkout.checkoutId, kind: 'top_up' },
      paymentMethod: 'edahabia',
    }),
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe('Chargily Pay', () => {
  it('opens a DZD checkout (EDAHABIA) with one customer even under concurrent first checkouts', async () => {
    const user = await signUp(server, { label: 'chargily-buyer', locale: 'fr' });
    const checkouts = await Promise.all(
      Array.from({ length: 4 }, () =>
        user.client.billing.checkout.topUp.mutate({ pack: 'credits-10k', provider: 'chargily' }),
      ),
    );
    expect(calls.customers).toBe(1);
    expect(
      checkouts.every((c) => c.url.startsWith('https://pay.chargily.net/test/checkouts/')),
    ).toBe(true);
    expect(new Set(calls.checkouts.map((c) => c.customer_id)).size).toBe(1);
    // 75,000 centimes are 750 dinars: Chargily takes whole DZD.
    expect(calls.checkouts[0]).toMatchObject({ amount: 750, currency: 'dzd', locale: 'fr' });
    await user.client.billing.checkout.topUp.mutate({
      pack: 'credits-10k',
      provider: 'chargily',
      paymentMethod: 'cib',
    });
    expect(calls.checkouts.at(-1)).toMatchObject({ payment_method: 'cib' });
    await expect(
      user.client.billing.checkout.topUp.mutate({
        pack: 'credits-10k',
        provider: 'chargily',
        currency: 'usd',
      }),
    ).rejects.toThrow(/DZD/);
  });

  it('checkout.paid credits once when delivered three times at once; bad signatures change nothing', async () => {
    const user = await signUp(server, { label: 'chargily-paid', credits: 0 });
    const { object } = await chargilyTopUp(user, 'paid');
    const event = chargilyEvent('checkout.paid', object, now());

    const forged = signedChargily(event, 'test_sk_someone_else');
    const altered = signedChargily(event);
    altered.body = altered.body.replace('"amount":750', '"amount":75000');
    for (const attempt of [forged, altered, { body: altered.body, headers: {} }]) {
      expect((await deliver(attempt)).status).toBe(400);
    }
    expect(await eventRow(event.id)).toBeUndefined();

    const signed = signedChargily(event);
    const answers = await Promise.all([deliver(signed), deliver(signed), deliver(signed)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await settled(event.id)).status).toBe('processed');
    expect(await balance(user)).toBe(10_000);
    // A late checkout.failed for the same checkout changes nothing.
    const late = chargilyEvent('checkout.failed', { ...object, status: 'failed' }, now());
    expect((await deliver(signedChargily(late))).status).toBe(200);
    expect(await settled(late.id)).toMatchObject({
      status: 'ignored',
      error: 'checkout already paid',
    });
    expect(await balance(user)).toBe(10_000);
    const [invoice] = (await user.client.billing.invoices.query()).items;
    expect(invoice).toMatchObject({
      provider: 'chargily',
      amount: 75_000,
      currency: 'dzd',
      status: 'paid',
    });
  });

  it('checkout.failed closes the checkout; an unknown checkout is kept, ignored, and can be replayed', async () => {
    const user = await signUp(server, { label: 'chargily-failed', credits: 0 });
    const { checkout, object } = await chargilyTopUp(user, 'failed');
    const failed = chargilyEvent('checkout.failed', object, now());
    expect((await deliver(signedChargily(failed))).status).toBe(200);
    await settled(failed.id);
    const row = await server.deps.db
      .selectFrom('billingCheckouts')
      .select('status')
      .where('id', '=', checkout.checkoutId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');

    const stranger = chargilyEvent(
      'checkout.paid',
      chargilyCheckout({
        id: '01unknown',
        amount: 750,
        customerId: 'x',
        status: 'paid',
        metadata: null,
      }),
      now(),
    );
    expect((await deliver(signedChargily(stranger))).status).toBe(200);
    const ignored = await settled(stranger.id);
    expect(ignored).toMatchObject({ status: 'ignored', error: 'unknown checkout 01unknown' });
    const listed = await admin.client.admin.billing.events.list.query({
      provider: 'chargily',
      status: 'ignored',
    });
    expect(listed.items.map((e) => e.eventId)).toContain(stranger.id);
    await admin.client.admin.billing.replay.mutate({ id: ignored.id });
    expect((await settled(stranger.id)).status).toBe('ignored');
    expect(await balance(user)).toBe(0);
  });
});
