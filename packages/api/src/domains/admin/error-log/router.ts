import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import {
  errorDetailSchema,
  errorGroupSchema,
  errorIdInput,
  errorPageSchema,
  listErrorsInput,
  resolveErrorInput,
} from './schemas.ts';
import { getError, listErrors, resolveError } from './service.ts';

export const adminErrorsRouter = {
  list: adminProcedure
    .input(listErrorsInput)
    .output(errorPageSchema)
    .query(({ ctx, input }) => listErrors(ctx.db, input)),
  get: adminProcedure
    .input(errorIdInput)
    .output(errorDetailSchema)
    .query(({ ctx, input }) => getError(ctx.db, input.errorId)),
  resolve: adminProcedure
    .input(resolveErrorInput)
    .output(errorGroupSchema)
    .mutation(({ ctx, input }) => resolveError(ctx.db, ctx.audit, input)),
} satisfies TRPCRouterRecord;
