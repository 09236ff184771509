import type { TRPCRouterRecord } from '@trpc/server';
import { checkHealth } from '../../platform/health.ts';
import { publicProcedure } from '../../procedures.ts';
import { healthSchema, versionSchema } from './schemas.ts';
import { versionInfo } from './service.ts';

export const systemRouter = {
  health: publicProcedure.output(healthSchema).query(({ ctx }) => checkHealth(ctx)),
  version: publicProcedure.output(versionSchema).query(() => versionInfo()),
} satisfies TRPCRouterRecord;
