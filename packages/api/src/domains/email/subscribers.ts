import type { AppDeps } from '../../context.ts';
import type { Events } from '../../platform/events/index.ts';
import { publicBaseUrl, queueEmail } from './send.ts';
import type { QueuedVariables, Trigger } from './triggers.ts';

type Recipient = NonNullable<Awaited<ReturnType<typeof recipient>>>;

async function recipient(deps: AppDeps, userId: string) {
  return deps.db
    .selectFrom('users')
    .select(['id', 'email', 'displayName', 'locale', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/**
 * Queues `trigger`'s email to the event's user (an active one), keyed by the event so a
 * redelivered event queues nothing more.
 */
async function emailUser<T extends Trigger>(
  deps: AppDeps,
  event: { id: string; payload: { userId: string } },
  email: { trigger: T; variables: (user: Recipient) => QueuedVariables<T> },
): Promise<void> {
  const { trigger, variables } = email;
  const user = await recipient(deps, event.payload.userId);
  if (!user?.active) return;
  await deps.db.transaction().execute((trx) =>
    queueEmail(deps, trx, {
      trigger,
      to: user.email,
      userId: user.id,
      locale: user.locale,
      eventId: event.id,
      variables: variables(user),
    }),
  );
}

/** The emails domain events send: welcome, credits low, subscription changed (tier moved). */
export function subscribeEmails(events: Events): void {
  events.on('user.registered', 'email', (deps, event) =>
    emailUser(deps, event, {
      trigger: 'welcome',
      variables: (user) => ({
        displayName: user.displayName,
        email: user.email,
        appUrl: publicBaseUrl(deps.config),
      }),
    }),
  );
  events.on('credits.low', 'email', (deps, event) =>
    emailUser(deps, event, {
      trigger: 'credits_low',
      variables: (user) => ({
        displayName: user.displayName,
        balance: event.payload.balance,
        threshold: event.payload.threshold,
        appUrl: publicBaseUrl(deps.config),
      }),
    }),
  );
  // Billing emits `subscription.changed` on every change of plan, status or tier (webhooks
  // and the history want them all); the email says "from {{previousTier}} to {{tier}}", so
  // it goes only when the tier moved. A status-only change (past_due in grace, active again),
  // a first `incomplete` subscription or a plan switch within a tier emails nothing.
  events.on('subscription.changed', 'email', async (deps, event) => {
    if (event.payload.tier === event.payload.previousTier) return;
    await emailUser(deps, event, {
      trigger: 'subscription_changed',
      variables: (user) => ({
        displayName: user.displayName,
        tier: event.payload.tier,
        previousTier: event.payload.previousTier,
        appUrl: publicBaseUrl(deps.config),
      }),
    });
  });
}
