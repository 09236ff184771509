import type { Config, PackConfig, PlanConfig } from '@phoenix/config';
import { invalid } from '@phoenix/errors';
import type { Pack, PackList, Plan, PlanList } from './schemas.ts';

/** Prices as a list, `usd` first when present (the default currency). */
const priceList = (prices: Record<string, number>) =>
  Object.entries(prices)
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) => Number(b.currency === 'usd') - Number(a.currency === 'usd'));

export function planView(config: Config, plan: PlanConfig): Plan {
  return {
    ...plan,
    prices: priceList(plan.prices),
    quotas: config.gateway.quotas[plan.tier],
  };
}

export function listPlans(config: Config): PlanList {
  return { items: config.billing.plans.map((plan) => planView(config, plan)) };
}

export function listPacks(config: Config): PackList {
  return {
    items: config.billing.packs.map((pack): Pack => ({ ...pack, prices: priceList(pack.prices) })),
  };
}

export const findPlan = (config: Config, id: string): PlanConfig | undefined =>
  config.billing.plans.find((plan) => plan.id === id);

export function requirePlan(config: Config, id: string): PlanConfig {
  const plan = findPlan(config, id);
  if (!plan) throw invalid(`No plan "${id}"`, { reason: 'BILLING_UNKNOWN_PLAN', field: 'plan' });
  return plan;
}

export function requirePack(config: Config, id: string): PackConfig {
  const pack = config.billing.packs.find((p) => p.id === id);
  if (!pack)
    throw invalid(`No credit pack "${id}"`, { reason: 'BILLING_UNKNOWN_PACK', field: 'pack' });
  return pack;
}

/** Credits a paid invoice of `plan` grants: a month's allowance per month it covers. */
export const allowanceOf = (plan: PlanConfig): number =>
  plan.monthlyCredits * (plan.interval === 'year' ? 12 : 1);
