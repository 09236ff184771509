import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';
import { LOCALES, TRIGGERS } from './triggers.ts';

export const templateSchema = z.object({
  id: z.uuid(),
  trigger: z.enum(TRIGGERS),
  locale: z.enum(LOCALES),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const templateListSchema = z.object({
  items: z.array(templateSchema),
  /** Each trigger's variables: what a template may use. */
  variables: z.record(z.string(), z.array(z.string())),
});

export const listTemplatesInput = input({
  trigger: z.enum(TRIGGERS).optional(),
  locale: z.enum(LOCALES).optional(),
}).default({});

const source = {
  subject: text().min(1).max(300),
  html: text().min(1).max(100_000),
  text: text().min(1).max(50_000),
};

export const createTemplateInput = input({
  trigger: z.enum(TRIGGERS),
  locale: z.enum(LOCALES),
  ...source,
});

export const updateTemplateInput = input({
  id: z.uuid(),
  subject: source.subject.optional(),
  html: source.html.optional(),
  text: source.text.optional(),
});

export const templateIdInput = input({ id: z.uuid() });
export const templateDeletedSchema = z.object({ deleted: z.literal(true) });
export const testEmailSchema = z.object({ emailLogId: z.uuid() });

export const emailLogSchema = z.object({
  id: z.uuid(),
  trigger: z.string(),
  locale: z.string(),
  userId: z.uuid().nullable(),
  toEmail: z.string(),
  subject: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.int(),
  smtpResponse: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  sentAt: z.date().nullable(),
  openedAt: z.date().nullable(),
  clickedAt: z.date().nullable(),
});

export const emailLogPageSchema = z.object({
  items: z.array(emailLogSchema),
  nextCursor: z.string().nullable(),
});

export const listEmailLogsInput = input({
  status: z.enum(['queued', 'sent', 'failed']).optional(),
  trigger: z.enum(TRIGGERS).optional(),
  userId: z.uuid().optional(),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ limit: 50 });

export const emailStatsInput = input({
  periodDays: z.int().min(1).max(366).default(7),
}).default({ periodDays: 7 });

export const emailStatsSchema = z.object({
  queued: z.int(),
  sent: z.int(),
  failed: z.int(),
  opened: z.int(),
  clicked: z.int(),
  byTrigger: z.array(z.object({ trigger: z.string(), sent: z.int(), failed: z.int() })),
});

export type CreateTemplateInput = z.infer<typeof createTemplateInput>;
export type UpdateTemplateInput = z.infer<typeof updateTemplateInput>;
export type ListEmailLogsInput = z.infer<typeof listEmailLogsInput>;
export type ListTemplatesInput = z.infer<typeof listTemplatesInput>;
export type EmailTemplate = z.infer<typeof templateSchema>;
export type TemplateList = z.infer<typeof templateListSchema>;
export type TemplateDeleted = z.infer<typeof templateDeletedSchema>;
export type TestEmail = z.infer<typeof testEmailSchema>;
export type EmailLogPage = z.infer<typeof emailLogPageSchema>;
export type EmailStats = z.infer<typeof emailStatsSchema>;
