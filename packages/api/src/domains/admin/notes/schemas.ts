import { z } from 'zod';
import { input, text } from '../../../schemas/index.ts';

const body = text().trim().min(1).max(5000);

export const noteSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  authorId: z.uuid().nullable(),
  authorEmail: z.string().nullable(),
  body: z.string(),
  pinned: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const listNotesInput = input({ userId: z.uuid() });
export const createNoteInput = input({
  userId: z.uuid(),
  body,
  pinned: z.boolean().default(false),
});
export const updateNoteInput = input({ noteId: z.uuid(), body });
export const pinNoteInput = input({ noteId: z.uuid(), pinned: z.boolean() });
export const noteIdInput = input({ noteId: z.uuid() });
export const okSchema = z.object({ ok: z.literal(true) });
export const noteListSchema = z.array(noteSchema);

export type CreateNoteInput = z.infer<typeof createNoteInput>;
export type Note = z.infer<typeof noteSchema>;
export type ChangeNoteInput = z.infer<typeof updateNoteInput> | z.infer<typeof pinNoteInput>;
export type Ok = z.infer<typeof okSchema>;
