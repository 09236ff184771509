import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';
import { CONSENT_PURPOSES } from './texts.ts';

export const purposeSchema = z.enum(CONSENT_PURPOSES);

export const consentStateSchema = z.object({
  purpose: purposeSchema,
  /** False until the user says yes. */
  granted: z.boolean(),
  /** The version of the text the current answer was given to; null when never answered. */
  textVersion: z.string().nullable(),
  updatedAt: z.date().nullable(),
  /** The text shown now, and its version (differs from `textVersion` after a new wording). */
  currentText: z.string(),
  currentVersion: z.string(),
});
export type ConsentState = z.infer<typeof consentStateSchema>;
export const consentStatesSchema = z.object({ consents: z.array(consentStateSchema) });
export type ConsentStates = z.infer<typeof consentStatesSchema>;

export const setConsentInput = input({
  purpose: purposeSchema,
  granted: z.boolean(),
  /** The version of the text the user saw: it must be the current one. */
  textVersion: text().min(1).max(50),
});
export type SetConsentInput = z.infer<typeof setConsentInput>;

export const consentRecordSchema = z.object({
  id: z.number(),
  purpose: purposeSchema,
  granted: z.boolean(),
  textVersion: z.string(),
  actor: z.enum(['user', 'admin']),
  createdAt: z.date(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;
export const consentHistoryInput = input({
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(300).optional(),
}).default({ limit: 50 });
export const consentHistoryPageSchema = z.object({
  items: z.array(consentRecordSchema),
  nextCursor: z.string().nullable(),
});
export type ConsentHistoryPage = z.infer<typeof consentHistoryPageSchema>;

export const adminConsentsInput = input({ userId: z.uuid() });
