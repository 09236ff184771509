import { z } from 'zod';

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  tier: z.enum(['FREE', 'PREMIUM']),
  active: z.boolean(),
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
  loginCount: z.int(),
});

export const listUsersInput = z
  .object({
    search: z.string().trim().min(1).max(100).optional(),
    role: z.enum(['user', 'admin']).optional(),
    tier: z.enum(['FREE', 'PREMIUM']).optional(),
    active: z.boolean().optional(),
    limit: z.int().min(1).max(100).default(25),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .default({ limit: 25 });

export const userPageSchema = z.object({
  items: z.array(adminUserSchema),
  nextCursor: z.string().nullable(),
});

export type ListUsersInput = z.infer<typeof listUsersInput>;
