import { unavailable } from '@phoenix/errors';
import type { CheckoutRequest, CustomerRequest, OpenedCheckout, PaymentGateway } from './types.ts';

/**
 * Chargily Pay v2 through its documented HTTP API (dev.chargily.com/pay-v2): bearer secret
 * key, JSON bodies, amounts in whole DZD.
 */
export function chargilyGateway(options: { apiUrl: string; secretKey: string }): PaymentGateway {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${options.apiUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw unavailable('Chargily could not be reached', {
        reason: 'BILLING_PROVIDER_FAILED',
        cause: error,
      });
    }
    if (!response.ok) {
      throw unavailable(`Chargily refused the request (HTTP ${response.status})`, {
        reason: 'BILLING_PROVIDER_FAILED',
        cause: new Error(await response.text().catch(() => '')),
      });
    }
    return (await response.json()) as T;
  };

  return {
    name: 'chargily',
    async createCustomer(r: CustomerRequest) {
      const customer = await post<{ id: string }>('/customers', {
        name: r.name,
        email: r.email,
        metadata: { user_id: r.userId },
      });
      return customer.id;
    },
    async createCheckout(r: CheckoutRequest): Promise<OpenedCheckout> {
      const checkout = await post<{ id: string; checkout_url: string }>('/checkouts', {
        // Chargily takes whole dinars; the catalogue holds centimes.
        amount: Math.round(r.amount / 100),
        currency: 'dzd',
        ...(r.paymentMethod ? { payment_method: r.paymentMethod } : {}),
        customer_id: r.customerId,
        success_url: r.successUrl,
        failure_url: r.cancelUrl,
        locale: ['ar', 'en', 'fr'].includes(r.locale) ? r.locale : 'en',
        description: r.item.name,
        metadata: { user_id: r.userId, checkout_id: r.checkoutId, kind: r.kind, item: r.item.id },
      });
      return { providerCheckoutId: checkout.id, url: checkout.checkout_url };
    },
  };
}
