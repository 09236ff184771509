import type { GatewayRouter } from '@phoenix/gateway';
import type { AppDeps } from '../../context.ts';
import { createPriceTable, type PriceTable } from './pricing.ts';
import { createQuotas, type Quotas } from './quotas.ts';

export interface GatewayParts {
  prices: PriceTable;
  quotas: Quotas;
}

// Keyed by the process's gateway router, built once per set of deps: the core builds no
// domain's parts, and two servers in one test process never share a price table or quotas.
const built = new WeakMap<GatewayRouter, GatewayParts>();

/** The price table and quotas for these deps, built on first use from their config and kv. */
export function gatewayParts(deps: Pick<AppDeps, 'config' | 'kv' | 'gateway'>): GatewayParts {
  let parts = built.get(deps.gateway.router);
  if (!parts) {
    parts = { prices: createPriceTable(deps.config), quotas: createQuotas(deps.kv, deps.config) };
    built.set(deps.gateway.router, parts);
  }
  return parts;
}
