import { unavailable } from '@phoenix/errors';
import type { CheckoutRequest, CustomerRequest, OpenedCheckout, PaymentGateway } from './types.ts';

/**
 * Chargily Pay v2 through its documented HTTP API (dev.chargily.com/pay-v2): bearer secret
 * key, JSON bodies, amounts in whole DZD.
 */
export function chargilyGateway(options: { apiUrl: string; secretKey: string }): PaymentGateway {
  const request = async <T>(path: string, body: unknown, method = 'POST'): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${options.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw unavailable('Chargily could not be reached', {
        reason: 'BILLING_PROVIDER_FAILED',
        cause: error,
      });
    }
    // A customer deleted before (a retried erasure) is gone already: done.
    if (method === 'DELETE' && response.status === 404) return undefined as T;
    if (!response.ok) {
      throw unavailable(`Chargily refused the request (HTTP ${response.status})`, {
        reason: 'BILLING_PROVIDER_FAILED',
        cause: new Error(await response.text().catch(() => '')),
      });
    }
    return (await response.json()) as T;
  };
  const post = <T>(path: string, body: unknown) => request<T>(path, body);

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
    async deleteCustomer(customerId: string) {
      await request(`/customers/${encodeURIComponent(customerId)}`, undefined, 'DELETE');
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
