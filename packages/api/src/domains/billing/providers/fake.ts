import { createHmac, randomUUID } from 'node:crypto';
import type { CheckoutRequest, OpenedCheckout, PaymentGateway } from './types.ts';

/**
 * The provider a newcomer uses with no account anywhere: its checkout page is served by the
 * hub (`routes.ts`), and its "pay" button sends the hub a webhook signed like Chargily's
 * (hex HMAC-SHA256 of the body) with BILLING_FAKE_WEBHOOK_SECRET, through the same door
 * and the same job as a real provider's.
 */
export function fakeGateway(baseUrl: string): PaymentGateway {
  return {
    name: 'fake',
    createCustomer: async () => `fake_cus_${randomUUID()}`,
    // The fake provider keeps no customers of its own: nothing to delete.
    deleteCustomer: async () => undefined,
    createCheckout: async (r: CheckoutRequest): Promise<OpenedCheckout> => {
      const id = `fake_cs_${r.checkoutId}`;
      return { providerCheckoutId: id, url: `${baseUrl}/billing/fake/checkout/${id}` };
    },
    // Its page reads our checkout row, which the caller closes (its Pay claims the row).
    closeCheckout: async () => ({ paid: false }),
    portal: async () => `${baseUrl}/billing/fake/portal`,
  };
}

/** The hex HMAC-SHA256 signature Chargily (and the fake provider) put in `signature`. */
export const hexSignature = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(body).digest('hex');

export interface FakeEventData {
  checkout_id: string;
  payment_id: string;
  kind: 'subscription' | 'top_up';
  customer_id: string;
  plan: string | null;
  amount: number;
  currency: string;
}

/** A fake provider event, as the pay (or decline) button sends it. */
export function fakeEvent(
  type: 'checkout.paid' | 'checkout.failed',
  data: FakeEventData,
  createdMs: number,
): string {
  return JSON.stringify({
    id: `fake_evt_${randomUUID()}`,
    entity: 'event',
    type,
    created_at: Math.floor(createdMs / 1000),
    data,
  });
}
