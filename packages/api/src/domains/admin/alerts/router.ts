import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import {
  alertIdInput,
  alertPageSchema,
  alertSchema,
  listAlertsInput,
  markAllReadSchema,
} from './schemas.ts';
import { listAlerts, markAlert, markAllAlertsRead } from './service.ts';

export const adminAlertsRouter = {
  list: adminProcedure
    .input(listAlertsInput)
    .output(alertPageSchema)
    .query(({ ctx, input }) => listAlerts(ctx.db, input)),
  markRead: adminProcedure
    .input(alertIdInput)
    .output(alertSchema)
    .mutation(({ ctx, input }) =>
      markAlert(ctx.db, ctx.audit, { alertId: input.alertId, mark: 'readAt' }),
    ),
  dismiss: adminProcedure
    .input(alertIdInput)
    .output(alertSchema)
    .mutation(({ ctx, input }) =>
      markAlert(ctx.db, ctx.audit, { alertId: input.alertId, mark: 'dismissedAt' }),
    ),
  markAllRead: adminProcedure
    .output(markAllReadSchema)
    .mutation(({ ctx }) => markAllAlertsRead(ctx.db, ctx.audit)),
} satisfies TRPCRouterRecord;
