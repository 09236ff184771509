import { z } from 'zod';
import { input, text } from '../../../schemas/index.ts';

export const roleSchema = z.enum(['user', 'admin']);
export const tierSchema = z.enum(['FREE', 'PREMIUM']);

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  tier: tierSchema,
  active: z.boolean(),
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
  loginCount: z.int(),
});

export const userSortSchema = z.enum(['createdAt', 'email', 'loginCount', 'lastLoginAt']);

export const listUsersInput = input({
  search: text().trim().min(1).max(100).optional(),
  role: roleSchema.optional(),
  tier: tierSchema.optional(),
  active: z.boolean().optional(),
  sortBy: userSortSchema.default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.int().min(1).max(100).default(25),
  /** Opaque cursor from the previous page's `nextCursor`, valid for the same sort only. */
  cursor: text().max(300).optional(),
}).default({ sortBy: 'createdAt', order: 'desc', limit: 25 });

export const userPageSchema = z.object({
  items: z.array(adminUserSchema),
  nextCursor: z.string().nullable(),
});

export const userIdInput = input({ userId: z.uuid() });

export const userDetailSchema = adminUserSchema.extend({
  timeZone: z.string(),
  locale: z.string(),
  updatedAt: z.date(),
  activity: z.object({
    totalEvents: z.int(),
    eventsLast30Days: z.int(),
    lastActivityAt: z.date().nullable(),
    topActionsLast30Days: z.array(z.object({ action: z.string(), count: z.int() })),
  }),
  activeSessions: z.int(),
  activeApiKeys: z.int(),
  notes: z.int(),
});

export const userSessionsSchema = z.array(
  z.object({
    id: z.string(),
    createdAt: z.date(),
    lastUsedAt: z.date(),
    expiresAt: z.date(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  }),
);

export const updateUserInput = input({
  userId: z.uuid(),
  role: roleSchema.optional(),
  tier: tierSchema.optional(),
  active: z.boolean().optional(),
}).refine((v) => v.role !== undefined || v.tier !== undefined || v.active !== undefined, {
  message: 'give at least one of role, tier, active',
});

export const updateUserOutput = z.object({
  user: adminUserSchema,
  sessionsRevoked: z.int(),
  apiKeysRevoked: z.int(),
});

export const churnRiskInput = input({
  /** No activity in this many days… */
  inactiveDays: z.int().min(1).max(365).default(14),
  /** …after some activity within this many days (bounds the scan). */
  lookbackDays: z.int().min(2).max(730).default(90),
  limit: z.int().min(1).max(200).default(50),
})
  .refine((v) => v.lookbackDays > v.inactiveDays, {
    message: 'lookbackDays must exceed inactiveDays',
    path: ['lookbackDays'],
  })
  .default({ inactiveDays: 14, lookbackDays: 90, limit: 50 });

export const churnRiskSchema = z.object({
  inactiveSince: z.date(),
  items: z.array(
    z.object({
      id: z.uuid(),
      email: z.string(),
      displayName: z.string(),
      tier: tierSchema,
      lastActivityAt: z.date(),
      eventsInLookback: z.int(),
    }),
  ),
});

export const activityInput = input({
  userId: z.uuid(),
  limit: z.int().min(1).max(100).default(50),
  cursor: text().max(100).optional(),
});

export const activityPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.int(),
      action: z.string(),
      resourceId: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export type ListUsersInput = z.infer<typeof listUsersInput>;
export type UpdateUserInput = z.infer<typeof updateUserInput>;
export type ChurnRiskInput = z.infer<typeof churnRiskInput>;
export type ActivityInput = z.infer<typeof activityInput>;
export type UserPage = z.infer<typeof userPageSchema>;
export type UserDetail = z.infer<typeof userDetailSchema>;
export type UpdateUserOutput = z.infer<typeof updateUserOutput>;
export type ChurnRisk = z.infer<typeof churnRiskSchema>;
export type UserActivityPage = z.infer<typeof activityPageSchema>;
