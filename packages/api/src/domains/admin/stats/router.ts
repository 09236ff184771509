import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import { emailStatsProcedure } from '../../email/index.ts';
import { webhookStatsProcedure } from '../../webhooks/index.ts';
import {
  activityPerDaySchema,
  dashboardInput,
  dashboardSchema,
  errorsPerDaySchema,
  funnelSchema,
  periodInput,
  signupsPerDaySchema,
} from './schemas.ts';
import { activityPerDay, dashboard, errorsPerDay, funnel, signupsPerDay } from './service.ts';

export const adminStatsRouter = {
  dashboard: adminProcedure
    .input(dashboardInput)
    .output(dashboardSchema)
    .query(({ ctx, input }) => dashboard(ctx, input.periodDays)),
  activityPerDay: adminProcedure
    .input(periodInput)
    .output(activityPerDaySchema)
    .query(({ ctx, input }) => activityPerDay(ctx.db, input)),
  signupsPerDay: adminProcedure
    .input(periodInput)
    .output(signupsPerDaySchema)
    .query(({ ctx, input }) => signupsPerDay(ctx.db, input)),
  errorsPerDay: adminProcedure
    .input(periodInput)
    .output(errorsPerDaySchema)
    .query(({ ctx, input }) => errorsPerDay(ctx.db, input)),
  funnel: adminProcedure
    .input(periodInput)
    .output(funnelSchema)
    .query(({ ctx, input }) => funnel(ctx.db, input)),
  webhooks: webhookStatsProcedure,
  emails: emailStatsProcedure,
} satisfies TRPCRouterRecord;
