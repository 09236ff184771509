import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../procedures.ts';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  regenerateSecret,
  sendTestMessage,
  updateEndpoint,
} from './endpoints.service.ts';
import { getLog, listLogs, retryDelivery, webhookStats } from './logs.service.ts';
import {
  createEndpointInput,
  endpointDeletedSchema,
  endpointIdInput,
  endpointPageSchema,
  endpointSchema,
  endpointWithSecretSchema,
  listEndpointsInput,
  listLogsInput,
  logDetailSchema,
  logIdInput,
  logPageSchema,
  retriedDeliverySchema,
  testDeliverySchema,
  updateEndpointInput,
  webhookStatsInput,
  webhookStatsSchema,
} from './schemas.ts';

/** Outbound webhook endpoints (`admin.webhooks`): every write audited, secrets never. */
export const adminWebhooksRouter = {
  list: adminProcedure
    .input(listEndpointsInput)
    .output(endpointPageSchema)
    .query(({ ctx, input }) => listEndpoints(ctx.db, input)),
  get: adminProcedure
    .input(endpointIdInput)
    .output(endpointSchema)
    .query(({ ctx, input }) => getEndpoint(ctx.db, input.id)),
  create: adminProcedure
    .input(createEndpointInput)
    .output(endpointWithSecretSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx, ctx.audit, input)),
  update: adminProcedure
    .input(updateEndpointInput)
    .output(endpointSchema)
    .mutation(({ ctx, input }) => updateEndpoint(ctx, ctx.audit, input)),
  delete: adminProcedure
    .input(endpointIdInput)
    .output(endpointDeletedSchema)
    .mutation(({ ctx, input }) => deleteEndpoint(ctx, ctx.audit, input.id)),
  regenerateSecret: adminProcedure
    .input(endpointIdInput)
    .output(endpointWithSecretSchema)
    .mutation(({ ctx, input }) => regenerateSecret(ctx, ctx.audit, input.id)),
  test: adminProcedure
    .input(endpointIdInput)
    .output(testDeliverySchema)
    .mutation(({ ctx, input }) => sendTestMessage(ctx, ctx.audit, input.id)),
} satisfies TRPCRouterRecord;

/** Delivery attempts (`admin.webhookLogs`). */
export const adminWebhookLogsRouter = {
  list: adminProcedure
    .input(listLogsInput)
    .output(logPageSchema)
    .query(({ ctx, input }) => listLogs(ctx.db, input)),
  get: adminProcedure
    .input(logIdInput)
    .output(logDetailSchema)
    .query(({ ctx, input }) => getLog(ctx.db, input.id)),
  retry: adminProcedure
    .input(logIdInput)
    .output(retriedDeliverySchema)
    .mutation(({ ctx, input }) => retryDelivery(ctx, ctx.audit, input.id)),
} satisfies TRPCRouterRecord;

/** `admin.stats.webhooks`. */
export const webhookStatsProcedure = adminProcedure
  .input(webhookStatsInput)
  .output(webhookStatsSchema)
  .query(({ ctx, input }) => webhookStats(ctx.db, input.periodDays));
