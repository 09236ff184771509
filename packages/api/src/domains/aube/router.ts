import type { TRPCRouterRecord } from '@trpc/server';

export const aubeRouter = {} satisfies TRPCRouterRecord;
