import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../procedures.ts';
import { adminListSessions } from './training.service.ts';
import { adminListSessionsInput, adminSessionPageSchema } from './training-schemas.ts';

/** `admin.trainingSessions`: every user's training sessions (the seed's `/admin/sessions`). */
export const adminTrainingSessionsRouter = {
  list: adminProcedure
    .input(adminListSessionsInput)
    .output(adminSessionPageSchema)
    .query(({ ctx, input }) => adminListSessions(ctx, input)),
} satisfies TRPCRouterRecord;
