import type { AppDeps } from '../../context.ts';
import type { DomainEvent, Events } from '../../platform/events/index.ts';
import { runCommand } from './command.ts';
import { energyPolicy } from './energy.ts';
import type { LunaEvent, ProgressSource } from './event-schemas.ts';
import { goalsTracking, stepGoal } from './goals.service.ts';

/**
 * Turns another domain's event into one step on every open goal of the user that tracks
 * it. Luna never reads the other domain's tables. Delivery is at least once: the event id
 * enters the inbox in the same command, so a redelivery writes nothing.
 */
async function receiveProgress(
  deps: AppDeps,
  event: DomainEvent<'rise.kaizen.completed' | 'rise.zazen.recorded' | 'aube.diagnostic.completed'>,
  source: ProgressSource,
) {
  const { userId } = event.payload;
  const user = await deps.db
    .selectFrom('users')
    .select('tier')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return;
  const policy = energyPolicy(deps.config, user.tier);
  await runCommand(deps.db, {
    userId,
    policy,
    nowMs: deps.clock.now(),
    requestId: null,
    decide: async ({ trx, energy }) => {
      const seen = await trx
        .selectFrom('lunaInbox')
        .select('eventId')
        .where('eventId', '=', event.id)
        .executeTakeFirst();
      if (seen) return { events: [], result: null };
      const events: LunaEvent[] = [
        { type: 'progress.received', payload: { sourceEventId: event.id, source } },
      ];
      let balance = energy;
      for (const goal of await goalsTracking(trx, userId, source)) {
        const step = await stepGoal(trx, { userId, goal, amount: 1, energy: balance, policy });
        events.push(...step.events);
        balance = step.energy;
      }
      return { events, result: null };
    },
  });
}

export function subscribeLuna(events: Events): void {
  events.on('rise.kaizen.completed', 'luna.progress', (deps, event) =>
    receiveProgress(deps, event, 'rise.kaizen'),
  );
  events.on('rise.zazen.recorded', 'luna.progress', (deps, event) =>
    receiveProgress(deps, event, 'rise.zazen'),
  );
  events.on('aube.diagnostic.completed', 'luna.progress', (deps, event) =>
    receiveProgress(deps, event, 'aube.diagnostic'),
  );
}
