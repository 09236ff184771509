import type { BillingKind, PaymentProvider } from '@phoenix/db';

export interface CustomerRequest {
  userId: string;
  email: string;
  name: string;
}

/** What the hub asks a provider for: one hosted checkout of one plan or pack. */
export interface CheckoutRequest {
  /** Our checkout row's id: the provider's idempotency key and our reference in its metadata. */
  checkoutId: string;
  userId: string;
  customerId: string;
  locale: string;
  kind: BillingKind;
  item: { id: string; name: string };
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  interval?: 'month' | 'year';
  paymentMethod?: 'edahabia' | 'cib' | undefined;
  successUrl: string;
  cancelUrl: string;
}

export interface OpenedCheckout {
  providerCheckoutId: string;
  url: string;
}

export type ClosedCheckout = { paid: false } | { paid: true; subscriptionId: string | null };

/** One payment provider's outbound API, as billing uses it. */
export interface PaymentGateway {
  name: PaymentProvider;
  createCustomer(request: CustomerRequest): Promise<string>;
  createCheckout(request: CheckoutRequest): Promise<OpenedCheckout>;
  /** Deletes the customer at the provider (GDPR erasure); one already gone counts as done. */
  deleteCustomer(customerId: string): Promise<void>;
  /**
   * Closes a hosted checkout so that it can no longer be paid, or says the customer paid it
   * first (with the subscription it started, when the provider names one). Providers that
   * sell no subscriptions (Chargily) leave it out: only plan checkouts are closed.
   */
  closeCheckout?(providerCheckoutId: string): Promise<ClosedCheckout>;
  /** The provider's customer portal (Stripe's billing portal). */
  portal?(customerId: string, returnUrl: string): Promise<string>;
}
