import { sql } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

/** Kaizen actions and Zazen sessions. */
export const risePersonalData = definePersonalData({
  domain: 'rise',
  about: 'Rise: your daily Kaizen actions and your Zazen meditation sessions.',
  tables: {
    kaizen_actions: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Each Kaizen action: its text, day and when it was completed.',
    },
    zazen_sessions: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Each Zazen session: start, duration, trigger and your notes.',
    },
  },
  async exportUserData({ db, subject }) {
    const kaizen = await db
      .selectFrom('kaizenActions')
      .select([
        'id',
        'text',
        sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'),
        'completedAt',
        'createdAt',
        'updatedAt',
      ])
      .where('userId', '=', subject.userId)
      .orderBy('createdAt')
      .execute();
    const zazen = await db
      .selectFrom('zazenSessions')
      .select(['id', 'startedAt', 'durationSeconds', 'trigger', 'notes', 'createdAt'])
      .where('userId', '=', subject.userId)
      .orderBy('startedAt')
      .execute();
    return { kaizen_actions: kaizen, zazen_sessions: zazen };
  },
  async eraseUserData({ db, subject }) {
    const kaizen = await db
      .deleteFrom('kaizenActions')
      .where('userId', '=', subject.userId)
      .executeTakeFirst();
    const zazen = await db
      .deleteFrom('zazenSessions')
      .where('userId', '=', subject.userId)
      .executeTakeFirst();
    return { kaizen_actions: affected(kaizen), zazen_sessions: affected(zazen) };
  },
});
