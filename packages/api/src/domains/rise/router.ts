import type { TRPCRouterRecord } from '@trpc/server';

export const riseRouter = {} satisfies TRPCRouterRecord;
