import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../procedures.ts';
import { listUsersInput, userPageSchema } from './schemas.ts';
import { listUsers } from './service.ts';

export const adminRouter = {
  users: {
    list: adminProcedure
      .input(listUsersInput)
      .output(userPageSchema)
      .query(({ ctx, input }) => listUsers(ctx.db, input)),
  },
} satisfies TRPCRouterRecord;
