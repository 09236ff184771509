import { z } from 'zod';
import { dateTime, input, text } from '../../../schemas/index.ts';

export const activitySchema = z.object({
  id: z.int(),
  userId: z.uuid(),
  action: z.string(),
  resourceId: z.string().nullable(),
  createdAt: z.date(),
});

export const listActivitiesInput = input({
  userId: z.uuid().optional(),
  /** Exact action name, e.g. `auth.login`. */
  action: text().min(1).max(200).optional(),
  from: dateTime().optional(),
  to: dateTime().optional(),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(200).optional(),
}).default({ limit: 50 });

export const activityPageSchema = z.object({
  items: z.array(activitySchema),
  nextCursor: z.string().nullable(),
});

export type ListActivitiesInput = z.infer<typeof listActivitiesInput>;
export type ActivityPage = z.infer<typeof activityPageSchema>;
