import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import { activityPageSchema, listActivitiesInput } from './schemas.ts';
import { listActivities } from './service.ts';

export const adminActivitiesRouter = {
  list: adminProcedure
    .input(listActivitiesInput)
    .output(activityPageSchema)
    .query(({ ctx, input }) => listActivities(ctx.db, input)),
} satisfies TRPCRouterRecord;
