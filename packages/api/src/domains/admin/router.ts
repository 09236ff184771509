import type { TRPCRouterRecord } from '@trpc/server';
import { adminBillingRouter } from '../billing/index.ts';
import { adminTrainingSessionsRouter } from '../champion/index.ts';
import { adminEmailLogsRouter, adminEmailTemplatesRouter } from '../email/index.ts';
import { adminWebhookLogsRouter, adminWebhooksRouter } from '../webhooks/index.ts';
import { adminActivitiesRouter } from './activities/router.ts';
import { adminAlertsRouter } from './alerts/router.ts';
import { adminAuditRouter } from './audit/router.ts';
import { adminErrorsRouter } from './error-log/router.ts';
import { adminJobsRouter } from './jobs/router.ts';
import { adminNotesRouter } from './notes/router.ts';
import { adminStatsRouter } from './stats/router.ts';
import { adminUsersRouter } from './users/router.ts';

/** The back office. Every procedure is `adminProcedure`: rate-limited per admin, writes audited. */
export const adminRouter = {
  users: adminUsersRouter,
  notes: adminNotesRouter,
  audit: adminAuditRouter,
  errors: adminErrorsRouter,
  alerts: adminAlertsRouter,
  stats: adminStatsRouter,
  jobs: adminJobsRouter,
  activities: adminActivitiesRouter,
  webhooks: adminWebhooksRouter,
  webhookLogs: adminWebhookLogsRouter,
  emailTemplates: adminEmailTemplatesRouter,
  emailLogs: adminEmailLogsRouter,
  billing: adminBillingRouter,
  trainingSessions: adminTrainingSessionsRouter,
} satisfies TRPCRouterRecord;
