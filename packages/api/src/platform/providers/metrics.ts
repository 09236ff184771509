import type { GatewayRouter } from '@phoenix/gateway';
import { Gauge, type Registry } from 'prom-client';

type Report = Awaited<ReturnType<GatewayRouter['snapshot']>>[number];

const STATE_VALUE: Record<Report['state'], number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Provider health at scrape time, read from the breaker state every process shares:
 * breaker state (0 closed, 1 half-open, 2 open), recent error rate and latency.
 */
export function registerGatewayMetrics(registry: Registry, router: GatewayRouter): void {
  // One snapshot per scrape, shared by the gauges' collect callbacks.
  let pending: Promise<Report[]> | null = null;
  const snapshot = () => {
    pending ??= router.snapshot().finally(() => {
      setImmediate(() => {
        pending = null;
      });
    });
    return pending;
  };
  const gauge = (name: string, help: string, pick: (r: Report) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['provider'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        // A scrape must answer while the kv is down (phoenix_store_* says so): no series then.
        const reports = await snapshot().catch((): Report[] => []);
        for (const report of reports) {
          const value = pick(report);
          if (value !== null) this.set({ provider: report.provider }, value);
        }
      },
    });
  gauge(
    'phoenix_gateway_breaker_state',
    'Circuit breaker: 0 closed, 1 half-open, 2 open',
    (r) => STATE_VALUE[r.state],
  );
  gauge('phoenix_gateway_provider_error_rate', 'Failed share of recent calls', (r) => r.errorRate);
  gauge(
    'phoenix_gateway_provider_latency_ms',
    'Mean latency of recent calls',
    (r) => r.avgLatencyMs,
  );
  gauge(
    'phoenix_gateway_provider_available',
    '1 when the provider can be called (key configured)',
    (r) => (r.available ? 1 : 0),
  );
}
