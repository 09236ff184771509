import type { Config } from '@phoenix/config';
import type { Tier } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';

const HOUR_MS = 3_600_000;

export interface EnergyPolicy {
  max: number;
  regenPerHour: number;
  perMessage: number;
  perCelebration: number;
}

export function energyPolicy(config: Config, tier: Tier): EnergyPolicy {
  const { energy } = config.luna;
  return { ...energy[tier], perMessage: energy.perMessage, perCelebration: energy.perCelebration };
}

/** What the projection stores: a balance at an instant. */
export interface EnergySnapshot {
  balance: number;
  asOfMs: number;
}

/** The balance at `nowMs`: the stored one plus what regenerated since, capped at the maximum. */
export function balanceAt(snapshot: EnergySnapshot, policy: EnergyPolicy, nowMs: number): number {
  const elapsedMs = Math.max(0, nowMs - snapshot.asOfMs);
  return Math.min(policy.max, snapshot.balance + (elapsedMs / HOUR_MS) * policy.regenPerHour);
}

/** Seconds until the balance reaches `target` (0 when it already has). */
export function secondsUntil(balance: number, target: number, policy: EnergyPolicy): number {
  if (balance >= target) return 0;
  return Math.ceil(((target - balance) / policy.regenPerHour) * 3600);
}

/** A refusal that says when enough energy will have regenerated. */
export function energyDepleted(balance: number, policy: EnergyPolicy): DomainError {
  const retryAfterSeconds = secondsUntil(balance, policy.perMessage, policy);
  return new DomainError(
    'rate_limited',
    `Not enough energy: a message needs ${policy.perMessage}, you have ${Math.floor(balance)}; ` +
      `enough will have regenerated in ${retryAfterSeconds}s`,
    { reason: 'LUNA_ENERGY_DEPLETED', retryAfterSeconds },
  );
}

/** The user-facing view of a balance: whole units, and when it will be full. */
export function energyView(balance: number, policy: EnergyPolicy, nowMs: number) {
  return {
    balance: Math.floor(balance),
    max: policy.max,
    regenPerHour: policy.regenPerHour,
    fullAt: new Date(nowMs + secondsUntil(balance, policy.max, policy) * 1000),
  };
}
