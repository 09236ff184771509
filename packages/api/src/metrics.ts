import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests can run several servers in a process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'phoenix_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'phoenix_http_request_duration_seconds',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    procedureCalls: new Counter({
      name: 'phoenix_trpc_calls_total',
      help: 'tRPC procedure calls by path, type and outcome code',
      labelNames: ['path', 'type', 'code'] as const,
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'phoenix_store_errors_total',
      help: 'Requests refused with 503 because a store (database or kv) was down or silent',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    storeUp: new Gauge({
      name: 'phoenix_store_up',
      help: 'Whether a store answered its last readiness probe (1) or failed a request or probe (0)',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    uploadsInFlight: new Gauge({
      name: 'phoenix_uploads_in_flight',
      help: 'Uploads this process is receiving, by door (refused with 503 past its cap)',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    gatewayCalls: new Counter({
      name: 'phoenix_gateway_calls_total',
      help: 'Gateway calls by route, answering provider (none when none answered) and outcome',
      labelNames: ['route', 'provider', 'status'] as const,
      registers: [registry],
    }),
    gatewayTokens: new Counter({
      name: 'phoenix_gateway_tokens_total',
      help: 'Tokens billed by provider and direction (input or output)',
      labelNames: ['provider', 'direction'] as const,
      registers: [registry],
    }),
    gatewayCredits: new Counter({
      name: 'phoenix_gateway_credits_charged_total',
      help: 'Credits charged by provider (1 credit = US$0.0001)',
      labelNames: ['provider'] as const,
      registers: [registry],
    }),
    jobsCompleted: new Counter({
      name: 'phoenix_jobs_completed_total',
      help: 'Jobs this process ran to completion, by queue name',
      labelNames: ['name'] as const,
      registers: [registry],
    }),
    jobsFailed: new Counter({
      name: 'phoenix_jobs_failed_total',
      help: 'Job attempts that failed in this process, by queue name and outcome (error, invalid)',
      labelNames: ['name', 'outcome'] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'phoenix_webhook_attempts_total',
      help: 'Webhook delivery attempts this process made, by outcome (succeeded, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    emailsSent: new Counter({
      name: 'phoenix_emails_total',
      help: 'Emails this process handed to the mail transport, by outcome (sent, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
