import { PAYMENT_PROVIDERS } from '@phoenix/config';
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/index.ts';
import { gatewayFor } from './checkout.service.ts';
import { expireGracePeriods } from './grace.ts';

export { applyBillingEventJob } from './apply.ts';

/**
 * Deletes a user's customer at the payment provider after a GDPR erasure (sent in the
 * erasure's transaction; the payload holds the provider's customer id, never the user).
 */
export const deleteProviderCustomerJob = defineJob({
  name: 'billing.delete-customer',
  payload: z.object({ provider: z.enum(PAYMENT_PROVIDERS), customerId: z.string().min(1) }),
  handler: (deps, { provider, customerId }) =>
    gatewayFor(deps, provider, deps.config.http.publicUrl ?? '').deleteCustomer(customerId),
});

/** Every 10 minutes, once per cluster: ends the grace periods that ran out. */
export const billingGraceJob = defineJob({
  name: 'billing.grace-expiry',
  payload: z.object({}),
  schedule: '*/10 * * * *',
  handler: async (deps) => {
    await expireGracePeriods(deps);
  },
});
