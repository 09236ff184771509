import type { AppDeps } from '../../context.ts';
import type { Events } from '../../platform/events/index.ts';
import { publicBaseUrl, queueEmail } from './send.ts';

async function recipient(deps: AppDeps, userId: string) {
  return deps.db
    .selectFrom('users')
    .select(['id', 'email', 'displayName', 'locale', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** The emails domain events send: welcome, credits low, subscription changed. */
export function subscribeEmails(events: Events): void {
  events.on('user.registered', 'email', async (deps, event) => {
    const user = await recipient(deps, event.payload.userId);
    if (!user?.active) return;
    await deps.db.transaction().execute((trx) =>
      queueEmail(deps, trx, {
        trigger: 'welcome',
        to: user.email,
        userId: user.id,
        locale: user.locale,
        eventId: event.id,
        variables: {
          displayName: user.displayName,
          email: user.email,
          appUrl: publicBaseUrl(deps.config),
        },
      }),
    );
  });
  events.on('credits.low', 'email', async (deps, event) => {
    const user = await recipient(deps, event.payload.userId);
    if (!user?.active) return;
    await deps.db.transaction().execute((trx) =>
      queueEmail(deps, trx, {
        trigger: 'credits_low',
        to: user.email,
        userId: user.id,
        locale: user.locale,
        eventId: event.id,
        variables: {
          displayName: user.displayName,
          balance: event.payload.balance,
          threshold: event.payload.threshold,
          appUrl: publicBaseUrl(deps.config),
        },
      }),
    );
  });
  events.on('subscription.changed', 'email', async (deps, event) => {
    const user = await recipient(deps, event.payload.userId);
    if (!user?.active) return;
    await deps.db.transaction().execute((trx) =>
      queueEmail(deps, trx, {
        trigger: 'subscription_changed',
        to: user.email,
        userId: user.id,
        locale: user.locale,
        eventId: event.id,
        variables: {
          displayName: user.displayName,
          tier: event.payload.tier,
          previousTier: event.payload.previousTier,
          appUrl: publicBaseUrl(deps.config),
        },
      }),
    );
  });
}
