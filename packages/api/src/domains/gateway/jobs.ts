import { z } from 'zod';
import { defineJob } from '../../platform/jobs/index.ts';
import { refundAbandonedCalls } from './abandoned-calls.ts';

/** Hourly, once per cluster: calls a stopped process left pending get their reservation back. */
export const abandonedCallsJob = defineJob({
  name: 'gateway.refund-abandoned',
  payload: z.object({}),
  schedule: '15 * * * *',
  async handler(deps) {
    const closed = await refundAbandonedCalls(deps.db);
    if (closed > 0) deps.log.warn({ closed }, 'refunded gateway calls left pending');
  },
});
