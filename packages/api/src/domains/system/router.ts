import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../../trpc.ts';
import { healthSchema, versionSchema } from './schemas.ts';
import { checkHealth, versionInfo } from './service.ts';

export const systemRouter = {
  health: publicProcedure.output(healthSchema).query(({ ctx }) => checkHealth(ctx)),
  version: publicProcedure.output(versionSchema).query(() => versionInfo()),
} satisfies TRPCRouterRecord;
