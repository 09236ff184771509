import { z } from 'zod';
import { defineJob } from '../../platform/jobs/index.ts';
import { applyBillingEvent } from './apply.ts';
import { expireGracePeriods } from './grace.ts';

/** Applies one stored provider event (`apply.ts`); sent in the transaction that stored it. */
export const applyBillingEventJob = defineJob({
  name: 'billing.apply',
  payload: z.object({ id: z.uuid() }),
  handler: (deps, { id }) => applyBillingEvent(deps, id),
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
