import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import { jobIdInput, jobPageSchema, jobSchema, listJobsInput } from './schemas.ts';
import { getJob, listJobs, retryJob } from './service.ts';

/** The durable job queue (pg-boss): what ran, what waits, what failed for good. */
export const adminJobsRouter = {
  list: adminProcedure
    .input(listJobsInput)
    .output(jobPageSchema)
    .query(({ ctx, input }) => listJobs(ctx, input)),
  get: adminProcedure
    .input(jobIdInput)
    .output(jobSchema)
    .query(({ ctx, input }) => getJob(ctx, input.id)),
  retry: adminProcedure
    .input(jobIdInput)
    .output(jobSchema)
    .mutation(({ ctx, input }) => retryJob(ctx, ctx.audit, input.id)),
} satisfies TRPCRouterRecord;
