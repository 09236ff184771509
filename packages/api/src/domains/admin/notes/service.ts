import type {
  AdminUserNotesTable,
  Database,
  Kysely,
  SelectQueryBuilder,
  UsersTable,
} from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import type { ChangeNoteInput, CreateNoteInput, Note, Ok } from './schemas.ts';

/** Newest pinned notes first, then the rest; a user's notes stay few, so 200 is a ceiling. */
const MAX_NOTES = 200;

type NoteTables = Database & { n: AdminUserNotesTable; a: UsersTable };

const selectNotes = (db: Kysely<Database>): SelectQueryBuilder<NoteTables, 'n' | 'a', Note> =>
  db
    .selectFrom('adminUserNotes as n')
    .leftJoin('users as a', 'a.id', 'n.authorId')
    .select([
      'n.id',
      'n.userId',
      'n.authorId',
      'a.email as authorEmail',
      'n.body',
      'n.pinned',
      'n.createdAt',
      'n.updatedAt',
    ]);

export function listNotes(db: Kysely<Database>, userId: string): Promise<Note[]> {
  return selectNotes(db)
    .where('n.userId', '=', userId)
    .orderBy('n.pinned', 'desc')
    .orderBy('n.createdAt', 'desc')
    .orderBy('n.id', 'desc')
    .limit(MAX_NOTES)
    .execute();
}

const snapshot = (n: Note): Pick<Note, 'userId' | 'body' | 'pinned'> => ({
  userId: n.userId,
  body: n.body,
  pinned: n.pinned,
});

async function noteForUpdate(db: Kysely<Database>, noteId: string): Promise<Note> {
  const note = await selectNotes(db).where('n.id', '=', noteId).forUpdate('n').executeTakeFirst();
  if (!note) throw notFound('Note');
  return note;
}

export function createNote(
  db: Kysely<Database>,
  audit: AuditTrail,
  input: CreateNoteInput,
): Promise<Note> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select('id')
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!user) throw notFound('User', { field: 'userId' });
    const { id } = await trx
      .insertInto('adminUserNotes')
      .values({
        userId: input.userId,
        authorId: audit.actor.adminId,
        body: input.body,
        pinned: input.pinned,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const note = await noteForUpdate(trx, id);
    await audit.record(trx, {
      resourceType: 'user_note',
      resourceId: id,
      newValue: snapshot(note),
    });
    return note;
  });
}

/** Edits the body or the pin of a note; the audit row holds both versions. */
export function changeNote(
  db: Kysely<Database>,
  audit: AuditTrail,
  input: ChangeNoteInput,
): Promise<Note> {
  const { noteId, ...change } = input;
  return db.transaction().execute(async (trx) => {
    const before = await noteForUpdate(trx, noteId);
    await trx
      .updateTable('adminUserNotes')
      .set({ ...change, updatedAt: new Date() })
      .where('id', '=', noteId)
      .execute();
    const after = await noteForUpdate(trx, noteId);
    await audit.record(trx, {
      resourceType: 'user_note',
      resourceId: noteId,
      oldValue: snapshot(before),
      newValue: snapshot(after),
    });
    return after;
  });
}

export function deleteNote(db: Kysely<Database>, audit: AuditTrail, noteId: string): Promise<Ok> {
  return db.transaction().execute(async (trx) => {
    const before = await noteForUpdate(trx, noteId);
    await trx.deleteFrom('adminUserNotes').where('id', '=', noteId).execute();
    await audit.record(trx, {
      resourceType: 'user_note',
      resourceId: noteId,
      oldValue: snapshot(before),
    });
    return { ok: true as const };
  });
}
