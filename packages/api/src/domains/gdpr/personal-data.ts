import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

/** Export and erasure requests themselves, and the export download log. */
export const gdprPersonalData = definePersonalData({
  domain: 'gdpr',
  about: 'Your data requests: exports you asked for (and when they were downloaded), erasures.',
  tables: {
    gdpr_requests: {
      userColumns: ['user_id', 'admin_id', 'requested_by'],
      erasure: {
        kind: 'pseudonymise',
        legalBasis:
          'Accountability (GDPR Art. 5(2)): the record that the erasure was asked for and done is kept, naming only the tombstone; export requests are deleted',
      },
      about: 'Each export or erasure you asked for, its state and dates.',
    },
    gdpr_export_downloads: {
      userColumns: ['ip', 'user_agent'],
      erasure: { kind: 'delete' },
      about: 'Each download of an export: when, from which address and browser.',
    },
  },
  async exportUserData({ db, subject }) {
    const requests = await db
      .selectFrom('gdprRequests')
      .select([
        'id',
        'kind',
        'status',
        'requestedBy',
        'scheduledFor',
        'expiresAt',
        'bytes',
        'downloadCount',
        'createdAt',
        'completedAt',
      ])
      .where('userId', '=', subject.userId)
      .orderBy('createdAt')
      .execute();
    const downloads = await db
      .selectFrom('gdprExportDownloads as d')
      .innerJoin('gdprRequests as r', 'r.id', 'd.requestId')
      .select(['d.id', 'd.requestId', 'd.ip', 'd.userAgent', 'd.createdAt'])
      .where('r.userId', '=', subject.userId)
      .execute();
    return { gdpr_requests: requests, gdpr_export_downloads: downloads };
  },
  async eraseUserData({ db, subject, tombstone }) {
    // Downloads go with their export (on delete cascade); the archives leave storage after commit.
    const exports = await db
      .deleteFrom('gdprRequests')
      .where('userId', '=', subject.userId)
      .where('kind', '=', 'export')
      .executeTakeFirst();
    const erasures = await db
      .updateTable('gdprRequests')
      .set({ userId: null, tombstone })
      .where('userId', '=', subject.userId)
      .where('kind', '=', 'erasure')
      .where('status', '<>', 'scheduled')
      .executeTakeFirst();
    const asAdmin = await db
      .updateTable('gdprRequests')
      .set({ adminId: tombstone })
      .where('adminId', '=', subject.userId)
      .executeTakeFirst();
    return { gdpr_requests: affected(exports) + affected(erasures) + affected(asAdmin) };
  },
});
