import type { PaymentProvider } from '@phoenix/db';
import type { Context as HonoContext } from 'hono';
import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { errorResponse } from '../../http/error-response.ts';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import { receiveWebhook } from './intake.ts';
import { fakeEvent, hexSignature } from './providers/fake.ts';
import { WebhookRefused } from './verify.ts';

const refused = (c: HonoContext, why: string) =>
  errorResponse(c, {
    code: 'BAD_REQUEST',
    message: `Webhook refused: ${why}`,
    reason: 'WEBHOOK_SIGNATURE_INVALID',
  });

/**
 * `POST /webhooks/stripe`, `/webhooks/chargily` and `/webhooks/fake`. The raw body is read
 * as text and verified before anything parses it; a refusal is a 400 that stores nothing,
 * a stored or replayed event a 200.
 */
export function billingWebhookRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const door = (provider: PaymentProvider) =>
    app.post(`/${provider}`, async (c) => {
      const body = await c.req.text();
      try {
        const received = await receiveWebhook(deps, { provider, body, headers: c.req.raw.headers });
        return c.json({ received: true, duplicate: received.duplicate });
      } catch (error) {
        if (error instanceof WebhookRefused) {
          deps.log.warn({ provider, why: error.message }, 'billing webhook refused');
          return refused(c, error.message);
        }
        throw error;
      }
    });
  door('stripe');
  door('chargily');
  door('fake');
  return app;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const money = (amount: number, currency: string) =>
  `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;

const FAKE_CHECKOUT_ID = /^fake_cs_[\w-]{1,100}$/;

/** The checkout was closed between the page's read and the pay click's claim. */
class CheckoutClosed extends Error {}

/**
 * The fake provider's hosted pages: a checkout with "Pay" and "Decline" buttons, each sending
 * the hub a signed webhook through the same intake as a real provider's, and a return page.
 * Served only while BILLING_FAKE_ENABLED (off in production by default).
 */
export function fakeProviderRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  // The ids the fake provider makes; anything else (a NUL Postgres refuses, say) is no checkout.
  const checkoutOf = async (id: string) =>
    !FAKE_CHECKOUT_ID.test(id)
      ? undefined
      : deps.db
          .selectFrom('billingCheckouts')
          .innerJoin('billingCustomers', (join) =>
            join
              .onRef('billingCustomers.userId', '=', 'billingCheckouts.userId')
              .on('billingCustomers.provider', '=', 'fake'),
          )
          .select([
            'billingCheckouts.id',
            'billingCheckouts.kind',
            'billingCheckouts.planId',
            'billingCheckouts.packId',
            'billingCheckouts.amount',
            'billingCheckouts.currency',
            'billingCheckouts.status',
            'billingCheckouts.providerCheckoutId',
            'billingCustomers.customerId',
          ])
          .where('billingCheckouts.provider', '=', 'fake')
          .where('billingCheckouts.providerCheckoutId', '=', id)
          .executeTakeFirst();
  const notFound = (c: HonoContext) =>
    errorResponse(c, { code: 'NOT_FOUND', message: 'No such checkout', reason: 'NOT_FOUND' });

  app.use('/fake/*', async (c, next) => {
    if (!deps.config.billing.fakeEnabled) return notFound(c);
    await next();
  });

  app.get('/fake/checkout/:id', async (c) => {
    const checkout = await checkoutOf(c.req.param('id'));
    if (!checkout) return notFound(c);
    const what =
      checkout.kind === 'top_up' ? `Credit pack ${checkout.packId}` : `Plan ${checkout.planId}`;
    const action = `/billing/fake/checkout/${encodeURIComponent(c.req.param('id'))}`;
    const body =
      checkout.status === 'open'
        ? `<p>${escapeHtml(what)}: <strong>${escapeHtml(money(checkout.amount, checkout.currency))}</strong></p>
<p>This is the hub's fake payment provider: no card, no account, no money.</p>
<form method="post" action="${action}/pay" style="display:inline"><button>Pay</button></form>
<form method="post" action="${action}/decline" style="display:inline"><button>Decline</button></form>`
        : `<p>This checkout is ${escapeHtml(checkout.status)}.</p>`;
    return c.html(page('Fake checkout', body));
  });

  const settle = (outcome: 'checkout.paid' | 'checkout.failed') => async (c: HonoContext) => {
    const checkout = await checkoutOf(c.req.param('id') ?? '');
    if (!checkout?.providerCheckoutId) return notFound(c);
    if (checkout.status !== 'open') {
      return errorResponse(c, {
        code: 'CONFLICT',
        message: `This checkout is ${checkout.status}`,
        reason: 'BILLING_CHECKOUT_CLOSED',
      });
    }
    const body = fakeEvent(
      outcome,
      {
        checkout_id: checkout.providerCheckoutId,
        // One payment per checkout: a second click pays nothing more (the payment id is unique).
        payment_id: `fake_pi_${checkout.id}`,
        kind: checkout.kind,
        customer_id: checkout.customerId,
        plan: checkout.planId,
        amount: checkout.amount,
        currency: checkout.currency,
      },
      deps.clock.now(),
    );
    // Signed like a provider's delivery, and taken in by the same door's code.
    const signature = hexSignature(deps.config.billing.fakeWebhookSecret, body);
    const delivery = {
      provider: 'fake' as const,
      body,
      headers: new Headers({ signature, 'content-type': 'application/json' }),
    };
    // Paying claims the checkout with the event stored, as a provider marks its own page
    // paid at once: a plan checkout opened meanwhile cannot close this one, nor see it open.
    const claimed = await receiveWebhook(deps, delivery, async (trx) => {
      if (outcome !== 'checkout.paid') return;
      const paid = await trx
        .updateTable('billingCheckouts')
        .set({ status: 'paid', completedAt: new Date(deps.clock.now()) })
        .where('id', '=', checkout.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (paid.numUpdatedRows === 0n) throw new CheckoutClosed();
    }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof CheckoutClosed) return false;
        throw error;
      },
    );
    if (!claimed) {
      return errorResponse(c, {
        code: 'CONFLICT',
        message: 'This checkout is no longer open',
        reason: 'BILLING_CHECKOUT_CLOSED',
      });
    }
    const result = outcome === 'checkout.paid' ? 'success' : 'canceled';
    return c.redirect(`/billing/return?checkout=${result}`, 303);
  };
  app.post('/fake/checkout/:id/pay', settle('checkout.paid'));
  app.post('/fake/checkout/:id/decline', settle('checkout.failed'));

  app.get('/fake/portal', (c) =>
    c.html(
      page('Fake billing portal', '<p>Nothing to manage: the fake provider bills nothing.</p>'),
    ),
  );
  app.get('/return', (c) => {
    const outcome = c.req.query('checkout') ?? '';
    const text =
      outcome === 'success'
        ? 'Payment received: it lands on your account in a moment.'
        : 'No payment was taken.';
    return c.html(page('Billing', `<p>${escapeHtml(text)}</p>`));
  });
  return app;
}

/** Mounted by the app: the providers' webhooks, and the fake provider's pages. */
export const billingRoutes: readonly PlainRoutes[] = [
  {
    path: '/webhooks',
    limitBody: true,
    mount: (app, deps) => app.route('/webhooks', billingWebhookRoutes(deps)),
  },
  {
    path: '/billing',
    limitBody: true,
    mount: (app, deps) => app.route('/billing', fakeProviderRoutes(deps)),
  },
];
