import { z } from 'zod';
import { dateTime, input, text } from '../../../schemas/index.ts';

export const auditEntrySchema = z.object({
  id: z.int(),
  adminId: z.uuid().nullable(),
  adminEmail: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.date(),
});

export const auditIdInput = input({ id: z.int().positive() });

export const auditFilters = input({
  adminId: z.uuid().optional(),
  action: text().min(1).max(200).optional(),
  resourceType: text().min(1).max(100).optional(),
  resourceId: text().min(1).max(200).optional(),
  from: dateTime().optional(),
  to: dateTime().optional(),
});

export const listAuditInput = auditFilters
  .extend({
    limit: z.int().min(1).max(100).default(50),
    cursor: text().max(100).optional(),
  })
  .default({ limit: 50 });

export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
});

/** Exports are bounded: at most this period and this many rows per call. */
export const EXPORT_MAX_DAYS = 31;
export const EXPORT_MAX_ROWS = 10_000;

export const exportAuditInput = auditFilters
  .extend({ from: dateTime(), to: dateTime(), format: z.enum(['csv', 'json']).default('csv') })
  .refine((v) => v.to > v.from, { message: 'to must be after from', path: ['to'] })
  .refine((v) => v.to.getTime() - v.from.getTime() <= EXPORT_MAX_DAYS * 86_400_000, {
    message: `the period is at most ${EXPORT_MAX_DAYS} days`,
    path: ['to'],
  });

export const auditExportSchema = z.object({
  format: z.enum(['csv', 'json']),
  filename: z.string(),
  contentType: z.string(),
  rowCount: z.int(),
  content: z.string(),
});

export type AuditFilters = z.infer<typeof auditFilters>;
export type ListAuditInput = z.infer<typeof listAuditInput>;
export type ExportAuditInput = z.infer<typeof exportAuditInput>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
export type AuditExport = z.infer<typeof auditExportSchema>;
