import { auditRetentionJob } from './domains/admin/audit/retention-job.ts';
import { sessionSweepJob } from './domains/auth/jobs.ts';
import { sendEmailJob } from './domains/email/index.ts';
import { abandonedCallsJob } from './domains/gateway/jobs.ts';
import { deliverWebhookJob } from './domains/webhooks/index.ts';
import type { JobDefinition } from './platform/jobs/index.ts';

/** Every job kind the hub runs, registered in every process (like the routers in root.ts). */
export const appJobs: readonly JobDefinition[] = [
  sessionSweepJob,
  abandonedCallsJob,
  auditRetentionJob,
  deliverWebhookJob,
  sendEmailJob,
];
