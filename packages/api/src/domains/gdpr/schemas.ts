import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

const cursorSchema = text().max(300);
const limitSchema = z.int().min(1).max(100).default(20);
export const pageInput = input({ limit: limitSchema, cursor: cursorSchema.optional() }).default({
  limit: 20,
});
export type PageInput = z.infer<typeof pageInput>;

const statusSchema = z.enum([
  'pending',
  'running',
  'ready',
  'scheduled',
  'completed',
  'cancelled',
  'failed',
  'expired',
]);

export const exportSchema = z.object({
  id: z.uuid(),
  status: statusSchema,
  createdAt: z.date(),
  completedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  bytes: z.number().nullable(),
  downloadCount: z.number(),
  /** Why a `failed` export failed, for the user (who can ask for a new one); else null. */
  failureReason: z.string().nullable(),
});
export type ExportRequest = z.infer<typeof exportSchema>;
export const exportPageSchema = z.object({
  items: z.array(exportSchema),
  nextCursor: z.string().nullable(),
});
export type ExportPage = z.infer<typeof exportPageSchema>;

export const exportIdInput = input({ id: z.uuid() });
export const downloadLinkSchema = z.object({ url: z.string(), expiresAt: z.date() });
export type DownloadLink = z.infer<typeof downloadLinkSchema>;

/** The portable form (Article 20): one document per domain, each table with its rows. */
export const portableSchema = z.object({
  format: z.string(),
  generatedAt: z.string(),
  domains: z.record(z.string(), z.unknown()),
});
export type Portable = z.infer<typeof portableSchema>;

export const erasureRequestInput = input({
  /** Asked whatever the session: erasure is re-authenticated. */
  password: z.string().min(1).max(1024),
});

export const erasureSchema = z.object({
  id: z.uuid(),
  status: statusSchema,
  requestedBy: z.enum(['user', 'admin']),
  createdAt: z.date(),
  /** When the erasure runs; it can be cancelled until then. */
  scheduledFor: z.date().nullable(),
  completedAt: z.date().nullable(),
});
export type Erasure = z.infer<typeof erasureSchema>;
export const erasureStatusSchema = z.object({ pending: erasureSchema.nullable() });
export type ErasureStatus = z.infer<typeof erasureStatusSchema>;

export const adminRequestSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['export', 'erasure']),
  status: statusSchema,
  requestedBy: z.enum(['user', 'admin']),
  userId: z.uuid().nullable(),
  email: z.string().nullable(),
  adminId: z.uuid().nullable(),
  tombstone: z.uuid().nullable(),
  createdAt: z.date(),
  scheduledFor: z.date().nullable(),
  completedAt: z.date().nullable(),
  report: z.unknown(),
});
export type AdminRequest = z.infer<typeof adminRequestSchema>;
export const adminRequestPageSchema = z.object({
  items: z.array(adminRequestSchema),
  nextCursor: z.string().nullable(),
});
export type AdminRequestPage = z.infer<typeof adminRequestPageSchema>;
export const adminListRequestsInput = input({
  kind: z.enum(['export', 'erasure']).optional(),
  status: statusSchema.optional(),
  userId: z.uuid().optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
}).default({ limit: 20 });
export type AdminListRequestsInput = z.infer<typeof adminListRequestsInput>;

export const adminErasureInput = input({
  userId: z.uuid(),
  /** Skip the grace period (the person asked by other means and it was verified). */
  immediate: z.boolean().default(false),
});
export type AdminErasureInput = z.infer<typeof adminErasureInput>;
export const adminCancelErasureInput = input({ userId: z.uuid() });
