import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import {
  activityInput,
  activityPageSchema,
  churnRiskInput,
  churnRiskSchema,
  listUsersInput,
  updateUserInput,
  updateUserOutput,
  userDetailSchema,
  userIdInput,
  userPageSchema,
  userSessionsSchema,
} from './schemas.ts';
import { churnRisk, getUserDetail, listUserActivity, listUsers, updateUser } from './service.ts';

export const adminUsersRouter = {
  list: adminProcedure
    .input(listUsersInput)
    .output(userPageSchema)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),
  get: adminProcedure
    .input(userIdInput)
    .output(userDetailSchema)
    .query(({ ctx, input }) => getUserDetail(ctx, input.userId)),
  activity: adminProcedure
    .input(activityInput)
    .output(activityPageSchema)
    .query(({ ctx, input }) => listUserActivity(ctx.db, input)),
  churnRisk: adminProcedure
    .input(churnRiskInput)
    .output(churnRiskSchema)
    .query(({ ctx, input }) => churnRisk(ctx.db, input)),
  /** The user's live sessions (what they signed in from, when last used). */
  sessions: adminProcedure
    .input(userIdInput)
    .output(userSessionsSchema)
    .query(({ ctx, input }) => ctx.auth.sessions.list(input.userId)),
  update: adminProcedure
    .input(updateUserInput)
    .output(updateUserOutput)
    .mutation(({ ctx, input }) => updateUser(ctx, ctx.audit, input)),
} satisfies TRPCRouterRecord;
