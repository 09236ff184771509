import { sql } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

/** The log of emails sent to the user; templates an admin edited. */
export const emailPersonalData = definePersonalData({
  domain: 'email',
  about: 'Emails the hub sent you: which, when, whether delivered, opened or clicked.',
  tables: {
    email_logs: {
      userColumns: ['user_id', 'to_email'],
      erasure: { kind: 'delete' },
      about: 'One row per email sent to you (subject, status, dates; not the body).',
    },
    email_templates: {
      userColumns: ['updated_by'],
      erasure: { kind: 'detach' },
      about: 'Email templates you last edited as an administrator.',
    },
  },
  async exportUserData({ db, subject }) {
    return {
      email_logs: await db
        .selectFrom('emailLogs')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('userId', '=', subject.userId),
            eb(sql`lower(to_email)`, '=', subject.email.toLowerCase()),
          ]),
        )
        .orderBy('createdAt')
        .execute(),
      email_templates: await db
        .selectFrom('emailTemplates')
        .select(['id', 'trigger', 'locale', 'updatedAt'])
        .where('updatedBy', '=', subject.userId)
        .execute(),
    };
  },
  async eraseUserData({ db, subject }) {
    const logs = await db
      .deleteFrom('emailLogs')
      .where((eb) =>
        eb.or([
          eb('userId', '=', subject.userId),
          eb(sql`lower(to_email)`, '=', subject.email.toLowerCase()),
        ]),
      )
      .executeTakeFirst();
    const templates = await db
      .updateTable('emailTemplates')
      .set({ updatedBy: null })
      .where('updatedBy', '=', subject.userId)
      .executeTakeFirst();
    return { email_logs: affected(logs), email_templates: affected(templates) };
  },
});
