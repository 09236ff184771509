import { sql } from '@phoenix/db';
import { affected, definePersonalData, namesSubject } from '../../platform/personal-data/index.ts';

const ACCOUNTABILITY =
  'Accountability and security of processing (GDPR Art. 5(2) and 32): the record of administrative actions is kept, with the person replaced by a tombstone';

/** Notes about users, the audit log, the error log's resolver. */
export const adminPersonalData = definePersonalData({
  domain: 'admin',
  about:
    'Back office: notes administrators wrote about your account, and audit rows of administrative actions on it (or by you, if you are an administrator).',
  tables: {
    admin_user_notes: {
      userColumns: ['user_id', 'author_id'],
      erasure: { kind: 'delete' },
      about:
        'Notes administrators wrote about your account (notes you wrote about others lose your name).',
    },
    admin_audit_log: {
      userColumns: ['admin_id', 'admin_email', 'ip', 'user_agent'],
      erasure: { kind: 'pseudonymise', legalBasis: ACCOUNTABILITY },
      about: 'Administrative actions on your account, or taken by you as an administrator.',
    },
    admin_errors: {
      userColumns: ['resolved_by'],
      erasure: { kind: 'detach' },
      about: 'Error groups you resolved as an administrator.',
    },
  },
  async exportUserData({ db, subject }) {
    const { userId } = subject;
    return {
      admin_user_notes: await db
        .selectFrom('adminUserNotes')
        .selectAll()
        .where((eb) => eb.or([eb('userId', '=', userId), eb('authorId', '=', userId)]))
        .execute(),
      admin_audit_log: await db
        .selectFrom('adminAuditLog')
        .selectAll()
        // The rows the erasure pseudonymises: by them, about them, or naming them in a value.
        .where((eb) =>
          eb.or([
            eb('adminId', '=', userId),
            eb('resourceId', '=', userId),
            namesSubject(sql`old_value`, subject),
            namesSubject(sql`new_value`, subject),
          ]),
        )
        .orderBy('id')
        .execute(),
      admin_errors: await db
        .selectFrom('adminErrors')
        .select(['id', 'name', 'resolvedAt', 'resolutionNote'])
        .where('resolvedBy', '=', userId)
        .execute(),
    };
  },
  async eraseUserData({ db, subject, tombstone }) {
    const { userId } = subject;
    const notes = await db
      .deleteFrom('adminUserNotes')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const authored = await db
      .updateTable('adminUserNotes')
      .set({ authorId: null })
      .where('authorId', '=', userId)
      .executeTakeFirst();
    const errors = await db
      .updateTable('adminErrors')
      .set({ resolvedBy: null })
      .where('resolvedBy', '=', userId)
      .executeTakeFirst();
    // The append-only log's one update path, which audits itself.
    const { rows } = await sql<{ changed: number }>`
      select admin_pseudonymise_audit_log(
        ${userId}::uuid, ${tombstone}::uuid, ${subject.email}::text,
        array[${subject.displayName}]::text[], 'gdpr.erasure'
      ) as changed
    `.execute(db);
    return {
      admin_user_notes: affected(notes) + affected(authored),
      admin_errors: affected(errors),
      admin_audit_log: Number(rows[0]?.changed ?? 0),
    };
  },
});
