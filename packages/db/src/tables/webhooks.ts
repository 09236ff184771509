import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** jsonb: written as a JSON string, read parsed. */
type Json = ColumnType<unknown, string, never>;

export interface WebhookEndpointsTable {
  id: Generated<string>;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  eventTypes: string[];
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** `whsec_...`: returned only when created or regenerated, never logged or audited. */
  secret: string;
  /** The secret before the last regeneration: still signs until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** First failure since the last success; an endpoint failing long enough is disabled. */
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One message to one endpoint; its attempts are `webhook_logs` rows. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpointId: string;
  /** `webhook-id`: the domain event's id, the same on every attempt. */
  messageId: string;
  eventType: string;
  payload: Json;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined>;
  attempts: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  completedAt: Date | null;
}

export interface WebhookLogsTable {
  id: Generated<string>;
  deliveryId: string;
  endpointId: string;
  /** 1 for the first attempt. */
  attempt: number;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** The first 4 KB of the response body. */
  responseBody: ColumnType<string, string | undefined, never>;
  createdAt: CreatedAt;
}

export interface WebhookTables {
  webhookEndpoints: WebhookEndpointsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookLogs: WebhookLogsTable;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookLogRow = Selectable<WebhookLogsTable>;
