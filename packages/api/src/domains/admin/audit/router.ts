import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import {
  auditEntrySchema,
  auditExportSchema,
  auditIdInput,
  auditPageSchema,
  exportAuditInput,
  listAuditInput,
} from './schemas.ts';
import { exportAudit, getAudit, listAudit } from './service.ts';

export const adminAuditRouter = {
  list: adminProcedure
    .input(listAuditInput)
    .output(auditPageSchema)
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  get: adminProcedure
    .input(auditIdInput)
    .output(auditEntrySchema)
    .query(({ ctx, input }) => getAudit(ctx.db, input.id)),
  /** Spends the export budget (5/min by default), not the read budget. */
  export: adminProcedure
    .input(exportAuditInput)
    .output(auditExportSchema)
    .query(({ ctx, input }) => exportAudit(ctx.db, input)),
} satisfies TRPCRouterRecord;
