import { z } from 'zod';
import { defineJob } from '../../platform/jobs/index.ts';

/**
 * Hourly, once per cluster: expired sessions are refused when presented; this removes the
 * ones never seen again.
 */
export const sessionSweepJob = defineJob({
  name: 'auth.sweep-sessions',
  payload: z.object({}),
  schedule: '0 * * * *',
  async handler(deps) {
    const deleted = await deps.auth.sessions.deleteExpired();
    if (deleted > 0) deps.log.info({ deleted }, 'deleted expired sessions');
  },
});
