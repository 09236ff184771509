import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../procedures.ts';
import { emailStats, listEmailLogs } from './logs.service.ts';
import {
  createTemplateInput,
  emailLogPageSchema,
  emailStatsInput,
  emailStatsSchema,
  listEmailLogsInput,
  listTemplatesInput,
  templateDeletedSchema,
  templateIdInput,
  templateListSchema,
  templateSchema,
  testEmailSchema,
  updateTemplateInput,
} from './schemas.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  sendTestEmail,
  updateTemplate,
} from './templates.service.ts';

/** Email templates per trigger and locale (`admin.emailTemplates`), every write audited. */
export const adminEmailTemplatesRouter = {
  list: adminProcedure
    .input(listTemplatesInput)
    .output(templateListSchema)
    .query(({ ctx, input }) => listTemplates(ctx.db, input)),
  get: adminProcedure
    .input(templateIdInput)
    .output(templateSchema)
    .query(({ ctx, input }) => getTemplate(ctx.db, input.id)),
  create: adminProcedure
    .input(createTemplateInput)
    .output(templateSchema)
    .mutation(({ ctx, input }) => createTemplate(ctx.db, ctx.audit, input)),
  update: adminProcedure
    .input(updateTemplateInput)
    .output(templateSchema)
    .mutation(({ ctx, input }) => updateTemplate(ctx.db, ctx.audit, input)),
  delete: adminProcedure
    .input(templateIdInput)
    .output(templateDeletedSchema)
    .mutation(({ ctx, input }) => deleteTemplate(ctx.db, ctx.audit, input.id)),
  sendTest: adminProcedure
    .input(templateIdInput)
    .output(testEmailSchema)
    .mutation(({ ctx, input }) => sendTestEmail(ctx, ctx.audit, input.id)),
} satisfies TRPCRouterRecord;

/** Every email the hub sent or tried to (`admin.emailLogs`). */
export const adminEmailLogsRouter = {
  list: adminProcedure
    .input(listEmailLogsInput)
    .output(emailLogPageSchema)
    .query(({ ctx, input }) => listEmailLogs(ctx.db, input)),
} satisfies TRPCRouterRecord;

/** `admin.stats.emails`. */
export const emailStatsProcedure = adminProcedure
  .input(emailStatsInput)
  .output(emailStatsSchema)
  .query(({ ctx, input }) => emailStats(ctx.db, input.periodDays));
