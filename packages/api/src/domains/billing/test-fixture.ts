import { createHmac, randomBytes } from 'node:crypto';
import type { Database, Kysely } from '@phoenix/db';
import { HttpResponse, http } from 'msw';
import Stripe from 'stripe';

/**
 * Stripe's and Chargily's payloads as they send them (shapes from their API references:
 * Stripe API version 2025-10-29.clover, Chargily Pay v2), and their signature schemes,
 * for msw handlers and signed webhook deliveries in billing's tests.
 */
export const STRIPE_WEBHOOK_SECRET = 'whsec_test_billing_secret_0123456789';
export const CHARGILY_SECRET_KEY = 'test_sk_billing_0123456789abcdefghijklmnopqrstuv';
export const BILLING_TEST_ENV = {
  STRIPE_SECRET_KEY: 'sk_test_billing_0123456789',
  STRIPE_WEBHOOK_SECRET,
  CHARGILY_SECRET_KEY,
  BILLING_GRACE_DAYS: '7',
  BILLING_CHECKOUTS_PER_HOUR: '1000',
  AUTH_REGISTER_PER_IP_PER_HOUR: '10000',
  ADMIN_READS_PER_MINUTE: '10000',
  ADMIN_WRITES_PER_MINUTE: '10000',
} as const;

export const STRIPE_API = 'https://api.stripe.com/v1';
export const CHARGILY_API = 'https://pay.chargily.net/test/api/v2';

const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

// --- Stripe objects -------------------------------------------------------------------

export function stripeEvent(type: string, object: object, created: number) {
  return {
    id: token('evt'),
    object: 'event',
    api_version: '2025-10-29.clover',
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: token('req'), idempotency_key: null },
    type,
  };
}

export function stripeCustomer(id: string, email: string) {
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: Math.floor(Date.now() / 1000),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null },
    livemode: false,
    metadata: {},
    name: null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export interface SessionFields {
  id: string;
  mode: 'payment' | 'subscription';
  customer: string;
  amountTotal: number;
  currency: string;
  metadata: Record<string, string>;
  paymentIntent?: string | null;
  subscription?: string | null;
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  status?: 'open' | 'complete' | 'expired';
  url?: string | null;
}

export function checkoutSession(f: SessionFields) {
  return {
    id: f.id,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: f.amountTotal,
    amount_total: f.amountTotal,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: 'https://hub.example/billing/return?checkout=canceled',
    client_reference_id: f.metadata.userId ?? null,
    created: Math.floor(Date.now() / 1000),
    currency: f.currency,
    customer: f.customer,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    expires_at: Math.floor(Date.now() / 1000) + 86_400,
    invoice: null,
    livemode: false,
    locale: null,
    metadata: f.metadata,
    mode: f.mode,
    payment_intent: f.paymentIntent ?? null,
    payment_method_types: ['card'],
    payment_status: f.paymentStatus ?? 'unpaid',
    status: f.status ?? 'open',
    subscription: f.subscription ?? null,
    success_url: 'https://hub.example/billing/return?checkout=success',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: f.url === undefined ? `https://checkout.stripe.com/c/pay/${f.id}` : f.url,
  };
}

export interface InvoiceFields {
  id: string;
  customer: string;
  subscription: string;
  plan: string;
  userId: string;
  amount: number;
  currency: string;
  periodStart: number;
  periodEnd: number;
  paid: boolean;
}

export function stripeInvoice(f: InvoiceFields) {
  return {
    id: f.id,
    object: 'invoice',
    account_country: 'US',
    amount_due: f.amount,
    amount_paid: f.paid ? f.amount : 0,
    amount_remaining: f.paid ? 0 : f.amount,
    attempt_count: 1,
    attempted: true,
    auto_advance: !f.paid,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: f.periodStart,
    currency: f.currency,
    customer: f.customer,
    customer_email: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/${f.id}`,
    lines: {
      object: 'list',
      data: [
        {
          id: token('il'),
          object: 'line_item',
          amount: f.amount,
          currency: f.currency,
          description: `1 × ${f.plan}`,
          metadata: {},
          period: { start: f.periodStart, end: f.periodEnd },
          quantity: 1,
        },
      ],
      has_more: false,
      url: `/v1/invoices/${f.id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: f.paid ? null : f.periodStart + 3 * 86_400,
    number: 'TEST-0001',
    parent: {
      quote_details: null,
      subscription_details: {
        metadata: { plan: f.plan, userId: f.userId },
        subscription: f.subscription,
      },
      type: 'subscription_details',
    },
    period_end: f.periodStart,
    period_start: f.periodStart,
    status: f.paid ? 'paid' : 'open',
    status_transitions: {
      finalized_at: f.periodStart,
      paid_at: f.paid ? f.periodStart : null,
      voided_at: null,
      marked_uncollectible_at: null,
    },
    subtotal: f.amount,
    total: f.amount,
  };
}

export interface SubscriptionFields {
  id: string;
  customer: string;
  plan: string;
  userId: string;
  status: Stripe.Subscription.Status;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd?: boolean;
}

export function stripeSubscription(f: SubscriptionFields) {
  return {
    id: f.id,
    object: 'subscription',
    billing_cycle_anchor: f.periodStart,
    cancel_at: null,
    cancel_at_period_end: f.cancelAtPeriodEnd ?? false,
    canceled_at: f.status === 'canceled' ? f.periodStart : null,
    collection_method: 'charge_automatically',
    created: f.periodStart,
    currency: 'usd',
    customer: f.customer,
    default_payment_method: null,
    ended_at: f.status === 'canceled' ? f.periodStart : null,
    items: {
      object: 'list',
      data: [
        {
          id: token('si'),
          object: 'subscription_item',
          current_period_end: f.periodEnd,
          current_period_start: f.periodStart,
          metadata: {},
          quantity: 1,
          subscription: f.id,
        },
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${f.id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: { plan: f.plan, userId: f.userId },
    start_date: f.periodStart,
    status: f.status,
    trial_end: null,
    trial_start: null,
  };
}

/**
 * A refunded charge as `charge.refunded` carries it: `amount_refunded` is the total refunded
 * so far (the whole amount unless `amountRefunded` says less), `refunded` is true only once
 * the whole amount is.
 */
export function stripeCharge(f: {
  paymentIntent: string;
  amount: number;
  customer: string;
  amountRefunded?: number;
  id?: string;
}) {
  const refunded = f.amountRefunded ?? f.amount;
  return {
    id: f.id ?? token('ch'),
    object: 'charge',
    amount: f.amount,
    amount_captured: f.amount,
    amount_refunded: refunded,
    captured: true,
    created: Math.floor(Date.now() / 1000),
    currency: 'usd',
    customer: f.customer,
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: f.paymentIntent,
    refunded: refunded >= f.amount,
    status: 'succeeded',
  };
}

/** A delivery's body and headers, signed the way Stripe signs (`generateTestHeaderString`). */
export function signedStripe(
  event: object,
  options: { timestamp?: number; secret?: string } = {},
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

export interface StripeCalls {
  customers: number;
  sessions: URLSearchParams[];
  /** Sessions as Stripe holds them, by id: a test may mark one `complete` (paid). */
  held: Map<string, ReturnType<typeof checkoutSession>>;
  expired: string[];
}

const stripeNotFound = (what: string, id: string) =>
  HttpResponse.json(
    {
      error: {
        code: 'resource_missing',
        message: `No such ${what}: '${id}'`,
        param: 'session',
        type: 'invalid_request_error',
      },
    },
    { status: 404 },
  );

/** Stripe's API as Checkout needs it: customers, checkout sessions, portal sessions. */
export function stripeApi(calls: StripeCalls) {
  return [
    http.get(`${STRIPE_API}/checkout/sessions/:id`, ({ params }) => {
      const session = calls.held.get(String(params.id));
      return session
        ? HttpResponse.json(session)
        : stripeNotFound('checkout.session', String(params.id));
    }),
    http.post(`${STRIPE_API}/checkout/sessions/:id/expire`, ({ params }) => {
      const id = String(params.id);
      const session = calls.held.get(id);
      if (!session) return stripeNotFound('checkout.session', id);
      if (session.status !== 'open') {
        // What Stripe answers for a session that is not open (see its API reference).
        return HttpResponse.json(
          {
            error: {
              message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
              type: 'invalid_request_error',
            },
          },
          { status: 400 },
        );
      }
      calls.expired.push(id);
      const expired = { ...session, status: 'expired' as const, url: null };
      calls.held.set(id, expired);
      return HttpResponse.json(expired);
    }),
    http.post(`${STRIPE_API}/customers`, async ({ request }) => {
      calls.customers++;
      const form = new URLSearchParams(await request.text());
      return HttpResponse.json(stripeCustomer(token('cus'), form.get('email') ?? ''));
    }),
    http.post(`${STRIPE_API}/checkout/sessions`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      calls.sessions.push(form);
      const metadata = {
        userId: form.get('metadata[userId]') ?? '',
        checkoutId: form.get('metadata[checkoutId]') ?? '',
        kind: form.get('metadata[kind]') ?? '',
        item: form.get('metadata[item]') ?? '',
      };
      const session = checkoutSession({
        id: token('cs_test'),
        mode: form.get('mode') === 'subscription' ? 'subscription' : 'payment',
        customer: form.get('customer') ?? '',
        amountTotal: Number(form.get('line_items[0][price_data][unit_amount]')),
        currency: form.get('line_items[0][price_data][currency]') ?? 'usd',
        metadata,
      });
      calls.held.set(session.id, session);
      return HttpResponse.json(session);
    }),
    http.post(`${STRIPE_API}/billing_portal/sessions`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      return HttpResponse.json({
        id: token('bps'),
        object: 'billing_portal.session',
        configuration: token('bpc'),
        created: Math.floor(Date.now() / 1000),
        customer: form.get('customer'),
        livemode: false,
        locale: null,
        on_behalf_of: null,
        return_url: form.get('return_url'),
        url: `https://billing.stripe.com/p/session/test_${randomBytes(8).toString('hex')}`,
      });
    }),
  ];
}

// --- Chargily Pay v2 ------------------------------------------------------------------

export function chargilyCheckout(f: {
  id: string;
  amount: number;
  customerId: string;
  status: 'pending' | 'paid' | 'failed' | 'canceled' | 'expired';
  metadata: Record<string, string> | null;
  paymentMethod?: string | null;
}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    id: f.id,
    entity: 'checkout',
    livemode: false,
    amount: f.amount,
    currency: 'dzd',
    fees: 0,
    fees_on_merchant: 0,
    fees_on_customer: 0,
    pass_fees_to_customer: null,
    chargily_pay_fees_allocation: 'merchant',
    status: f.status,
    locale: 'en',
    description: null,
    metadata: f.metadata,
    success_url: 'https://hub.example/billing/return?checkout=success',
    failure_url: 'https://hub.example/billing/return?checkout=canceled',
    webhook_endpoint: null,
    payment_method: f.paymentMethod ?? null,
    invoice_id: null,
    customer_id: f.customerId,
    payment_link_id: null,
    created_at: now,
    updated_at: now,
    shipping_address: null,
    collect_shipping_address: 0,
    discount: null,
    amount_without_discount: null,
    checkout_url: `https://pay.chargily.net/test/checkouts/${f.id}/pay`,
  };
}

export function chargilyEvent(type: string, checkout: object, created: number) {
  return {
    id: `01${randomBytes(12).toString('hex')}`,
    entity: 'event',
    livemode: 'false',
    type,
    data: checkout,
    created_at: created,
    updated_at: created,
  };
}

/** Chargily's scheme: `signature` is the hex HMAC-SHA256 of the raw body with the secret key. */
export function signedChargily(
  event: object,
  secret = CHARGILY_SECRET_KEY,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', signature } };
}

export function chargilyApi(calls: { customers: number; checkouts: Record<string, unknown>[] }) {
  return [
    http.post(`${CHARGILY_API}/customers`, async ({ request }) => {
      calls.customers++;
      const body = (await request.json()) as { name: string; email: string; metadata: unknown };
      const now = Math.floor(Date.now() / 1000);
      return HttpResponse.json({
        id: `01${randomBytes(12).toString('hex')}`,
        entity: 'customer',
        livemode: false,
        name: body.name,
        email: body.email,
        phone: null,
        address: null,
        metadata: body.metadata,
        created_at: now,
        updated_at: now,
      });
    }),
    http.post(`${CHARGILY_API}/checkouts`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      calls.checkouts.push(body);
      return HttpResponse.json(
        chargilyCheckout({
          id: `01${randomBytes(12).toString('hex')}`,
          amount: Number(body.amount),
          customerId: String(body.customer_id),
          status: 'pending',
          metadata: body.metadata as Record<string, string>,
          paymentMethod: (body.payment_method as string | undefined) ?? null,
        }),
      );
    }),
  ];
}

/** The payload of every `subscription.changed` event emitted so far. */
export async function subscriptionChanges(db: Kysely<Database>): Promise<unknown[]> {
  const events = await db
    .selectFrom('domainEvents')
    .select('payload')
    .where('type', '=', 'subscription.changed')
    .execute();
  return events.map((e) => e.payload);
}
