import type { AppDeps } from '../../context.ts';
import type { Payer } from '../gateway/index.ts';
import { type EnergyPolicy, energyPolicy } from './energy.ts';

/** What a Luna service needs of the request: its deps, who acts, and the time rules read. */
export interface LunaCall {
  deps: Pick<AppDeps, 'db' | 'config' | 'clock' | 'kv' | 'log' | 'metrics' | 'events' | 'gateway'>;
  payer: Payer;
  /** The caller's IANA zone: days (streaks) are counted in it. */
  timeZone: string;
  requestId: string;
  policy: EnergyPolicy;
  nowMs: number;
}

export function lunaCall(
  deps: LunaCall['deps'] & { requestId: string },
  payer: Payer,
  timeZone = 'UTC',
): LunaCall {
  return {
    deps,
    payer,
    timeZone,
    requestId: deps.requestId,
    policy: energyPolicy(deps.config, payer.tier),
    nowMs: deps.clock.now(),
  };
}
