import { sql } from '@phoenix/db';
import { namesSubject } from './mentions.ts';
import { affected, definePersonalData } from './types.ts';

/**
 * The platform's own tables: the activity trail (`platform/activity.ts`) and the domain
 * event outbox (`platform/events/`), whose payloads name users.
 */
export const platformPersonalData = definePersonalData({
  domain: 'activity',
  about: 'What you did in the hub (sign-ins, actions), and the events your actions raised.',
  tables: {
    activity_events: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Your actions (sign-in, sign-up, domain actions) with their time.',
    },
    domain_events: {
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'Events about your account (registered, signed in, profile updated...).',
    },
  },
  async exportUserData({ db, subject }) {
    return {
      activity_events: await db
        .selectFrom('activityEvents')
        .select(['id', 'action', 'resourceId', 'createdAt'])
        .where('userId', '=', subject.userId)
        .orderBy('id')
        .execute(),
      domain_events: await db
        .selectFrom('domainEvents')
        .selectAll()
        .where(namesSubject(sql`payload`, subject))
        .orderBy('occurredAt')
        .execute(),
    };
  },
  async eraseUserData({ db, subject }) {
    const activity = await db
      .deleteFrom('activityEvents')
      .where('userId', '=', subject.userId)
      .executeTakeFirst();
    const events = await db
      .deleteFrom('domainEvents')
      .where(namesSubject(sql`payload`, subject))
      .executeTakeFirst();
    return { activity_events: affected(activity), domain_events: affected(events) };
  },
});
