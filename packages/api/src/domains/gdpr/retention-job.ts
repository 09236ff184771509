import { z } from 'zod';
import { defineJob } from '../../platform/jobs/index.ts';
import { runRetention } from './retention.ts';

/** Daily, once per cluster. */
export const retentionJob = defineJob({
  name: 'gdpr.retention',
  payload: z.object({}),
  schedule: '45 3 * * *',
  async handler(deps) {
    const counts = await runRetention(deps, {
      dryRun: false,
      actor: 'phoenix-scheduler retention',
    });
    deps.log.info({ counts }, 'retention');
  },
});
