import { randomUUID } from 'node:crypto';
import type { Database, Transaction } from '@phoenix/db';
import type { EnergyPolicy } from './energy.ts';
import type { LunaEvent } from './event-schemas.ts';

type Kind = Extract<LunaEvent, { type: 'celebration.fired' }>['payload']['kind'];

/**
 * The events of one celebration: fired once per (kind, occurrence), with its energy reward
 * (capped at the maximum). Nothing when this occurrence was already celebrated: a retried
 * or concurrent command (serialised by the stream lock) sees the first one's row, and the
 * unique key refuses a second row from any writer that would not.
 */
export async function celebrate(
  trx: Transaction<Database>,
  options: { userId: string; kind: Kind; occurrence: string; energy: number; policy: EnergyPolicy },
): Promise<LunaEvent[]> {
  const { userId, kind, occurrence, energy, policy } = options;
  const already = await trx
    .selectFrom('lunaCelebrations')
    .select('id')
    .where('userId', '=', userId)
    .where('kind', '=', kind)
    .where('occurrence', '=', occurrence)
    .executeTakeFirst();
  if (already) return [];
  const reward = policy.perCelebration;
  const events: LunaEvent[] = [
    {
      type: 'celebration.fired',
      payload: { celebrationId: randomUUID(), kind, occurrence, reward },
    },
  ];
  // A full balance takes no reward: only a real change is an energy event.
  const balanceAfter = Math.min(policy.max, energy + reward);
  const granted = Math.round(balanceAfter - energy);
  if (granted > 0) {
    events.push({
      type: 'energy.changed',
      payload: { amount: granted, reason: 'reward', balanceAfter },
    });
  }
  return events;
}

/** The balance after `events`: the last energy change's, or `balance` when none moved it. */
export function balanceAfter(events: readonly LunaEvent[], balance: number): number {
  const last = events.findLast((e) => e.type === 'energy.changed');
  return last?.type === 'energy.changed' ? last.payload.balanceAfter : balance;
}
