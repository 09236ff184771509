import type { BillingSubscriptionStatus, PaymentProvider } from '@phoenix/db';
import type Stripe from 'stripe';
import type { FakeEventData } from './providers/fake.ts';

/**
 * What a provider event means for the hub, whatever the provider: translating is pure
 * (payload in, effects out), applying is `apply.ts`. An event the hub does not act on
 * translates to nothing and is marked `ignored`.
 */
export type Effect =
  | {
      kind: 'topUpPaid';
      /** The provider's checkout id: it finds our checkout row (user, pack, credits). */
      checkoutId: string;
      /** The payment's id: the ledger's idempotency key. */
      paymentId: string;
      amount: number;
      currency: string;
    }
  | { kind: 'checkoutClosed'; checkoutId: string; status: 'failed' | 'canceled' }
  | {
      kind: 'subscriptionCheckoutCompleted';
      checkoutId: string;
      subscriptionId: string | null;
    }
  | {
      kind: 'invoicePaid';
      customerId: string;
      invoiceId: string;
      subscriptionId: string | null;
      planId: string | null;
      amount: number;
      currency: string;
      periodEnd: Date | null;
    }
  | {
      kind: 'invoiceFailed';
      customerId: string;
      invoiceId: string;
      subscriptionId: string | null;
      planId: string | null;
      amount: number;
      currency: string;
    }
  | {
      kind: 'subscriptionChanged';
      customerId: string;
      subscriptionId: string;
      planId: string | null;
      status: BillingSubscriptionStatus;
      periodEnd: Date | null;
      cancelAtPeriodEnd: boolean;
    }
  | {
      kind: 'paymentReversed';
      paymentId: string;
      cause: 'refund' | 'dispute';
      /**
       * How much of the payment is refunded so far (Stripe's `amount_refunded`, a running
       * total) out of its amount; null: the whole payment (a dispute).
       */
      refunded: { amount: number; of: number } | null;
    };

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

const at = (seconds: number | null | undefined): Date | null =>
  seconds == null ? null : new Date(seconds * 1000);

/** Stripe's subscription statuses, folded into ours. */
function stripeStatus(status: Stripe.Subscription.Status): BillingSubscriptionStatus {
  switch (status) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
    case 'unpaid':
      return 'past_due';
    case 'incomplete':
      return 'incomplete';
    case 'canceled':
    case 'incomplete_expired':
    case 'paused':
      return 'canceled';
  }
}

/** The subscription an invoice belongs to, and its metadata (API versions before and after 2025-03). */
function invoiceSubscription(invoice: Stripe.Invoice): {
  subscriptionId: string | null;
  planId: string | null;
} {
  const legacy = invoice as Stripe.Invoice & {
    subscription?: string | { id: string } | null;
    subscription_details?: { metadata: Stripe.Metadata | null } | null;
  };
  const details = invoice.parent?.subscription_details ?? null;
  const metadata =
    details?.metadata ??
    legacy.subscription_details?.metadata ??
    invoice.lines?.data?.[0]?.metadata;
  return {
    subscriptionId: idOf(details?.subscription ?? legacy.subscription ?? null),
    planId: metadata?.plan ?? null,
  };
}

function stripeEffects(event: Stripe.Event): Effect[] {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.mode === 'subscription') {
        return [
          {
            kind: 'subscriptionCheckoutCompleted',
            checkoutId: session.id,
            subscriptionId: idOf(session.subscription),
          },
        ];
      }
      // Paid later (bank debits) arrives as async_payment_succeeded.
      if (session.mode !== 'payment' || session.payment_status !== 'paid') return [];
      const paymentId = idOf(session.payment_intent) ?? session.id;
      return [
        {
          kind: 'topUpPaid',
          checkoutId: session.id,
          paymentId,
          amount: session.amount_total ?? 0,
          currency: session.currency ?? '',
        },
      ];
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return [
        {
          kind: 'checkoutClosed',
          checkoutId: event.data.object.id,
          status: event.type === 'checkout.session.expired' ? 'canceled' : 'failed',
        },
      ];
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const customerId = idOf(invoice.customer);
      if (!customerId || !invoice.id) return [];
      const { subscriptionId, planId } = invoiceSubscription(invoice);
      if (!subscriptionId) return [];
      if (event.type === 'invoice.payment_failed') {
        return [
          {
            kind: 'invoiceFailed',
            customerId,
            invoiceId: invoice.id,
            subscriptionId,
            planId,
            amount: invoice.amount_due,
            currency: invoice.currency,
          },
        ];
      }
      return [
        {
          kind: 'invoicePaid',
          customerId,
          invoiceId: invoice.id,
          subscriptionId,
          planId,
          amount: invoice.amount_paid,
          currency: invoice.currency,
          periodEnd: at(invoice.lines?.data?.[0]?.period?.end),
        },
      ];
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      const customerId = idOf(subscription.customer);
      if (!customerId) return [];
      const legacy = subscription as Stripe.Subscription & { current_period_end?: number };
      return [
        {
          kind: 'subscriptionChanged',
          customerId,
          subscriptionId: subscription.id,
          planId: subscription.metadata?.plan ?? null,
          status:
            event.type === 'customer.subscription.deleted'
              ? 'canceled'
              : stripeStatus(subscription.status),
          periodEnd: at(
            subscription.items?.data?.[0]?.current_period_end ?? legacy.current_period_end,
          ),
          cancelAtPeriodEnd: subscription.cancel_at_period_end === true,
        },
      ];
    }
    case 'charge.refunded': {
      // Sent for every refund of the charge, partial ones too, each with the total so far.
      const charge = event.data.object;
      const paymentId = idOf(charge.payment_intent);
      if (!paymentId) return [];
      const refunded = { amount: charge.amount_refunded, of: charge.amount };
      return [{ kind: 'paymentReversed', paymentId, cause: 'refund', refunded }];
    }
    case 'charge.dispute.created': {
      const paymentId = idOf(event.data.object.payment_intent);
      return paymentId
        ? [{ kind: 'paymentReversed', paymentId, cause: 'dispute', refunded: null }]
        : [];
    }
    default:
      return [];
  }
}

interface ChargilyEvent {
  type: string;
  data: { id: string; amount: number; currency: string; status: string };
}

function chargilyEffects(event: ChargilyEvent): Effect[] {
  const checkout = event.data;
  switch (event.type) {
    case 'checkout.paid':
      // A Chargily checkout is its payment: its id is the payment's id. Amounts are whole DZD.
      return [
        {
          kind: 'topUpPaid',
          checkoutId: checkout.id,
          paymentId: checkout.id,
          amount: checkout.amount * 100,
          currency: checkout.currency,
        },
      ];
    case 'checkout.failed':
      return [{ kind: 'checkoutClosed', checkoutId: checkout.id, status: 'failed' }];
    case 'checkout.canceled':
    case 'checkout.expired':
      return [{ kind: 'checkoutClosed', checkoutId: checkout.id, status: 'canceled' }];
    default:
      return [];
  }
}

interface FakeEvent {
  type: string;
  created_at: number;
  data: FakeEventData;
}

function fakeEffects(event: FakeEvent, periodEnd: (planId: string) => Date | null): Effect[] {
  const d = event.data;
  if (event.type === 'checkout.failed') {
    return [{ kind: 'checkoutClosed', checkoutId: d.checkout_id, status: 'failed' }];
  }
  if (event.type !== 'checkout.paid') return [];
  if (d.kind === 'top_up') {
    return [
      {
        kind: 'topUpPaid',
        checkoutId: d.checkout_id,
        paymentId: d.payment_id,
        amount: d.amount,
        currency: d.currency,
      },
    ];
  }
  const subscriptionId = `fake_sub_${d.checkout_id}`;
  return [
    { kind: 'subscriptionCheckoutCompleted', checkoutId: d.checkout_id, subscriptionId },
    {
      kind: 'invoicePaid',
      customerId: d.customer_id,
      invoiceId: `fake_in_${d.payment_id}`,
      subscriptionId,
      planId: d.plan,
      amount: d.amount,
      currency: d.currency,
      periodEnd: d.plan ? periodEnd(d.plan) : null,
    },
  ];
}

/** What a stored event means; `periodEnd` computes a fake subscription's period from its plan. */
export function effectsOf(
  provider: PaymentProvider,
  payload: unknown,
  periodEnd: (planId: string) => Date | null,
): Effect[] {
  switch (provider) {
    case 'stripe':
      return stripeEffects(payload as Stripe.Event);
    case 'chargily':
      return chargilyEffects(payload as ChargilyEvent);
    case 'fake':
      return fakeEffects(payload as FakeEvent, periodEnd);
  }
}
