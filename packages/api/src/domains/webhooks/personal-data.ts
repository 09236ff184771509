import { sql } from '@phoenix/db';
import { affected, definePersonalData, namesSubject } from '../../platform/personal-data/index.ts';

/** Events about the user carry their id (and sometimes email) to the operator's endpoints. */
const mentions = (subject: { userId: string; email: string }) =>
  namesSubject(sql`payload`, subject);

export const webhooksPersonalData = definePersonalData({
  domain: 'webhooks',
  about:
    'Outbound webhooks: event messages about your account the hub delivered to its operators’ systems.',
  tables: {
    webhook_deliveries: {
      // The user is named inside the jsonb payload, not in a column.
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'Messages about your account (sign-up, profile changes...) and their delivery state.',
    },
    webhook_logs: {
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'Delivery attempts of those messages (deleted with them).',
    },
  },
  async exportUserData({ db, subject }) {
    const deliveries = await db
      .selectFrom('webhookDeliveries')
      .select(['id', 'eventType', 'payload', 'status', 'attempts', 'createdAt', 'completedAt'])
      .where(mentions(subject))
      .execute();
    const ids = deliveries.map((d) => d.id);
    const logs =
      ids.length === 0
        ? []
        : await db
            .selectFrom('webhookLogs')
            .select(['id', 'deliveryId', 'attempt', 'succeeded', 'statusCode', 'createdAt'])
            .where('deliveryId', 'in', ids)
            .execute();
    return { webhook_deliveries: deliveries, webhook_logs: logs };
  },
  async eraseUserData({ db, subject }) {
    // Logs go with their delivery (on delete cascade).
    const result = await db
      .deleteFrom('webhookDeliveries')
      .where(mentions(subject))
      .executeTakeFirst();
    return { webhook_deliveries: affected(result) };
  },
});
