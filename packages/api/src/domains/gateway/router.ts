import type { TRPCRouterRecord } from '@trpc/server';

export const gatewayRouter = {} satisfies TRPCRouterRecord;
