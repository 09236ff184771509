import type { Config } from '@phoenix/config';
import { unavailable } from '@phoenix/errors';
import Stripe from 'stripe';
import type { CheckoutRequest, ClosedCheckout, OpenedCheckout, PaymentGateway } from './types.ts';

const clients = new WeakMap<Config, Stripe>();

/**
 * One Stripe client per configuration, over the platform's `fetch` (undici): the SDK's
 * default node:http client writes the body only after the socket's `secureConnect`, which
 * an interceptor's socket (msw in the tests) never emits.
 */
export function stripeClient(config: Config, secretKey: string): Stripe {
  let client = clients.get(config);
  if (!client) {
    client = new Stripe(secretKey, {
      maxNetworkRetries: 1,
      timeout: 10_000,
      httpClient: Stripe.createFetchHttpClient(),
    });
    clients.set(config, client);
  }
  return client;
}

/** Stripe's own errors become a typed 503 naming the provider (never its message's details). */
async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw unavailable(`Stripe could not ${what}`, {
      reason: 'BILLING_PROVIDER_FAILED',
      cause: error,
    });
  }
}

function sessionParams(r: CheckoutRequest): Stripe.Checkout.SessionCreateParams {
  const metadata = { userId: r.userId, checkoutId: r.checkoutId, kind: r.kind, item: r.item.id };
  const priceData = {
    currency: r.currency,
    unit_amount: r.amount,
    product_data: { name: r.item.name },
  };
  const common = {
    customer: r.customerId,
    client_reference_id: r.userId,
    metadata,
    success_url: r.successUrl,
    cancel_url: r.cancelUrl,
  };
  if (r.kind === 'subscription') {
    return {
      ...common,
      mode: 'subscription',
      line_items: [
        {
          quantity: 1,
          price_data: { ...priceData, recurring: { interval: r.interval ?? 'month' } },
        },
      ],
      subscription_data: { metadata: { userId: r.userId, plan: r.item.id } },
    };
  }
  return {
    ...common,
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: priceData }],
    payment_intent_data: { metadata },
  };
}

/** A session as far as closing it goes; one Stripe no longer has is closed. */
async function readSession(
  stripe: Stripe,
  sessionId: string,
): Promise<{ status: 'open' } | { status: 'done'; closed: ClosedCheckout }> {
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(sessionId);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return { status: 'done', closed: { paid: false } };
    }
    throw error;
  }
  if (session.status === 'complete') {
    const { subscription } = session;
    const subscriptionId =
      typeof subscription === 'string' ? subscription : (subscription?.id ?? null);
    return { status: 'done', closed: { paid: true, subscriptionId } };
  }
  if (session.status === 'expired') return { status: 'done', closed: { paid: false } };
  return { status: 'open' };
}

export function stripeGateway(config: Config, secretKey: string): PaymentGateway {
  const stripe = stripeClient(config, secretKey);
  return {
    name: 'stripe',
    createCustomer: (r) =>
      call('create the customer', async () => {
        const customer = await stripe.customers.create(
          { email: r.email, name: r.name, metadata: { userId: r.userId } },
          // A retry after a crash between Stripe's answer and our insert finds the same customer.
          { idempotencyKey: `phoenix-customer-${r.userId}` },
        );
        return customer.id;
      }),
    createCheckout: (r) =>
      call('open the checkout', async (): Promise<OpenedCheckout> => {
        const session = await stripe.checkout.sessions.create(sessionParams(r), {
          idempotencyKey: `phoenix-checkout-${r.checkoutId}`,
        });
        if (!session.url) throw new Error('Stripe answered a session without a URL');
        return { providerCheckoutId: session.id, url: session.url };
      }),
    closeCheckout: (sessionId) =>
      call('close the checkout', async (): Promise<ClosedCheckout> => {
        const first = await readSession(stripe, sessionId);
        if (first.status !== 'open') return first.closed;
        try {
          await stripe.checkout.sessions.expire(sessionId);
          return { paid: false };
        } catch (error) {
          // Only an open session expires: one the customer just completed (or that timed
          // out, or went) between the two calls says so when read again.
          const now = await readSession(stripe, sessionId);
          if (now.status !== 'open') return now.closed;
          throw error;
        }
      }),
    deleteCustomer: (customerId) =>
      call('delete the customer', async () => {
        try {
          await stripe.customers.del(customerId);
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
      }),
    portal: (customerId, returnUrl) =>
      call('open the portal', async () => {
        const session = await stripe.billingPortal.sessions.create({
          customer: customerId,
          return_url: returnUrl,
        });
        return session.url;
      }),
  };
}
