import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

export const consentsPersonalData = definePersonalData({
  domain: 'consents',
  about: 'Your consents (marketing email, AI training use): every answer, when, to which text.',
  tables: {
    consent_records: {
      userColumns: ['user_id', 'ip'],
      erasure: { kind: 'delete' },
      about:
        'Each consent answer: purpose, yes or no, the version of the text, when and from where.',
    },
  },
  async exportUserData({ db, subject }) {
    return {
      consent_records: await db
        .selectFrom('consentRecords')
        .selectAll()
        .where('userId', '=', subject.userId)
        .orderBy('id')
        .execute(),
    };
  },
  async eraseUserData({ db, subject }) {
    const result = await db
      .deleteFrom('consentRecords')
      .where('userId', '=', subject.userId)
      .executeTakeFirst();
    return { consent_records: affected(result) };
  },
});
