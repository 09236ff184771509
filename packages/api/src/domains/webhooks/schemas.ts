import { z } from 'zod';
import { type EventType, eventTypes } from '../../platform/events/index.ts';
import { input, text } from '../../schemas/index.ts';

const eventType = z.enum(eventTypes as [EventType, ...EventType[]]);

const targetUrl = text()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }));

export const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  /** Until then the previous secret still signs (regenerated secrets overlap for 24 h). */
  previousSecretExpiresAt: z.date().nullable(),
  failingSince: z.date().nullable(),
  disabledAt: z.date().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** Only the answers of `create` and `regenerateSecret` carry the secret. */
export const endpointWithSecretSchema = endpointSchema.extend({ secret: z.string() });

export const endpointPageSchema = z.object({
  items: z.array(endpointSchema),
  nextCursor: z.string().nullable(),
});

export const listEndpointsInput = input({
  enabled: z.boolean().optional(),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ limit: 50 });

export const createEndpointInput = input({
  url: targetUrl,
  description: text().max(500).default(''),
  eventTypes: z.array(eventType).min(1).max(eventTypes.length),
  enabled: z.boolean().default(true),
});

export const updateEndpointInput = input({
  id: z.uuid(),
  url: targetUrl.optional(),
  description: text().max(500).optional(),
  eventTypes: z.array(eventType).min(1).max(eventTypes.length).optional(),
  /** Enabling a disabled endpoint clears its failure streak. */
  enabled: z.boolean().optional(),
});

export const endpointIdInput = input({ id: z.uuid() });

export const testDeliverySchema = z.object({ deliveryId: z.uuid(), messageId: z.string() });
export const endpointDeletedSchema = z.object({ deleted: z.literal(true) });

export const logSchema = z.object({
  id: z.uuid(),
  deliveryId: z.uuid(),
  endpointId: z.uuid(),
  messageId: z.string(),
  eventType: z.string(),
  attempt: z.int(),
  succeeded: z.boolean(),
  statusCode: z.int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.int(),
  createdAt: z.date(),
});

export const logDetailSchema = logSchema.extend({
  responseBody: z.string(),
  payload: z.unknown(),
  deliveryStatus: z.enum(['pending', 'succeeded', 'failed']),
  deliveryAttempts: z.int(),
});

export const logPageSchema = z.object({
  items: z.array(logSchema),
  nextCursor: z.string().nullable(),
});

export const listLogsInput = input({
  endpointId: z.uuid().optional(),
  deliveryId: z.uuid().optional(),
  succeeded: z.boolean().optional(),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ limit: 50 });

export const logIdInput = input({ id: z.uuid() });
export const retriedDeliverySchema = z.object({ deliveryId: z.uuid(), attempt: z.int() });

export const webhookStatsInput = input({
  periodDays: z.int().min(1).max(366).default(7),
}).default({ periodDays: 7 });

export const webhookStatsSchema = z.object({
  endpoints: z.object({ total: z.int(), enabled: z.int(), failing: z.int() }),
  deliveries: z.object({ pending: z.int(), succeeded: z.int(), failed: z.int() }),
  attempts: z.object({
    total: z.int(),
    succeeded: z.int(),
    failed: z.int(),
    /** Mean latency of the period's attempts, in ms (null without attempts). */
    meanLatencyMs: z.number().nullable(),
  }),
});

export type CreateEndpointInput = z.infer<typeof createEndpointInput>;
export type UpdateEndpointInput = z.infer<typeof updateEndpointInput>;
export type ListEndpointsInput = z.infer<typeof listEndpointsInput>;
export type ListLogsInput = z.infer<typeof listLogsInput>;
export type Endpoint = z.infer<typeof endpointSchema>;
export type EndpointWithSecret = z.infer<typeof endpointWithSecretSchema>;
export type EndpointPage = z.infer<typeof endpointPageSchema>;
export type EndpointDeleted = z.infer<typeof endpointDeletedSchema>;
export type TestDelivery = z.infer<typeof testDeliverySchema>;
export type Log = z.infer<typeof logSchema>;
export type LogPage = z.infer<typeof logPageSchema>;
export type LogDetail = z.infer<typeof logDetailSchema>;
export type RetriedDelivery = z.infer<typeof retriedDeliverySchema>;
export type WebhookStats = z.infer<typeof webhookStatsSchema>;
