import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure } from '../../../procedures.ts';
import {
  createNoteInput,
  listNotesInput,
  noteIdInput,
  noteListSchema,
  noteSchema,
  okSchema,
  pinNoteInput,
  updateNoteInput,
} from './schemas.ts';
import { changeNote, createNote, deleteNote, listNotes } from './service.ts';

export const adminNotesRouter = {
  list: adminProcedure
    .input(listNotesInput)
    .output(noteListSchema)
    .query(({ ctx, input }) => listNotes(ctx.db, input.userId)),
  create: adminProcedure
    .input(createNoteInput)
    .output(noteSchema)
    .mutation(({ ctx, input }) => createNote(ctx.db, ctx.audit, input)),
  update: adminProcedure
    .input(updateNoteInput)
    .output(noteSchema)
    .mutation(({ ctx, input }) => changeNote(ctx.db, ctx.audit, input)),
  pin: adminProcedure
    .input(pinNoteInput)
    .output(noteSchema)
    .mutation(({ ctx, input }) => changeNote(ctx.db, ctx.audit, input)),
  delete: adminProcedure
    .input(noteIdInput)
    .output(okSchema)
    .mutation(({ ctx, input }) => deleteNote(ctx.db, ctx.audit, input.noteId)),
} satisfies TRPCRouterRecord;
