import { z } from 'zod';
import { input, text } from '../../../schemas/index.ts';

export const alertSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  body: z.string(),
  createdAt: z.date(),
  readAt: z.date().nullable(),
  dismissedAt: z.date().nullable(),
});

export const listAlertsInput = input({
  /** `active`: not dismissed; `unread`: not read and not dismissed. */
  status: z.enum(['active', 'unread', 'dismissed', 'all']).default('active'),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ status: 'active', limit: 50 });

export const alertPageSchema = z.object({
  items: z.array(alertSchema),
  nextCursor: z.string().nullable(),
  unreadCount: z.int(),
});

export const alertIdInput = input({ alertId: z.uuid() });

export const markAllReadSchema = z.object({ updated: z.int() });

export type ListAlertsInput = z.infer<typeof listAlertsInput>;
export type Alert = z.infer<typeof alertSchema>;
export type AlertPage = z.infer<typeof alertPageSchema>;
export type MarkAllRead = z.infer<typeof markAllReadSchema>;
