import { z } from 'zod';
import { input, text } from '../../../schemas/index.ts';

export const errorGroupSchema = z.object({
  id: z.uuid(),
  fingerprint: z.string(),
  name: z.string(),
  message: z.string(),
  path: z.string().nullable(),
  lastRequestId: z.string().nullable(),
  count: z.int(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.uuid().nullable(),
  resolutionNote: z.string().nullable(),
});

export const listErrorsInput = input({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ status: 'open', limit: 50 });

export const errorPageSchema = z.object({
  items: z.array(errorGroupSchema),
  nextCursor: z.string().nullable(),
});

export const errorIdInput = input({ errorId: z.uuid() });

export const errorDetailSchema = errorGroupSchema.extend({
  recentOccurrences: z.array(z.object({ requestId: z.string().nullable(), createdAt: z.date() })),
});

export const resolveErrorInput = input({
  errorId: z.uuid(),
  note: text().trim().min(1).max(2000),
});

export type ListErrorsInput = z.infer<typeof listErrorsInput>;
export type ErrorGroup = z.infer<typeof errorGroupSchema>;
export type ErrorPage = z.infer<typeof errorPageSchema>;
export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ResolveErrorInput = z.infer<typeof resolveErrorInput>;
