import { z } from 'zod';
import { dateTime, input } from '../../../schemas/index.ts';

/** Every stats query covers at most this many days, so each aggregate stays bounded. */
export const STATS_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export const periodInput = input({ from: dateTime(), to: dateTime() })
  .refine((v) => v.to > v.from, { message: 'to must be after from', path: ['to'] })
  .refine((v) => v.to.getTime() - v.from.getTime() <= STATS_MAX_DAYS * DAY_MS, {
    message: `the period is at most ${STATS_MAX_DAYS} days`,
    path: ['to'],
  });

export const dashboardInput = input({
  periodDays: z.int().min(1).max(STATS_MAX_DAYS).default(30),
}).default({ periodDays: 30 });

export const dashboardSchema = z.object({
  generatedAt: z.date(),
  periodDays: z.int(),
  users: z.object({ total: z.int(), active: z.int(), admins: z.int(), newInPeriod: z.int() }),
  activeUsers: z.object({ dau: z.int(), wau: z.int(), mau: z.int() }),
  activeSessions: z.int(),
  openErrors: z.int(),
  unreadAlerts: z.int(),
});

/** Days are UTC calendar days, `YYYY-MM-DD`; days with nothing are present with zeros. */
export const activityPerDaySchema = z.array(
  z.object({ day: z.string(), events: z.int(), users: z.int() }),
);
export const signupsPerDaySchema = z.array(z.object({ day: z.string(), signups: z.int() }));
export const errorsPerDaySchema = z.array(z.object({ day: z.string(), occurrences: z.int() }));

export const funnelSchema = z.object({
  from: z.date(),
  to: z.date(),
  registered: z.int(),
  firstDomainAction: z.int(),
  firstDiagnosticCompleted: z.int(),
  activeAgainAfter7Days: z.int(),
});

export type Period = z.infer<typeof periodInput>;
export type Dashboard = z.infer<typeof dashboardSchema>;
export type ActivityPerDay = z.infer<typeof activityPerDaySchema>;
export type SignupsPerDay = z.infer<typeof signupsPerDaySchema>;
export type ErrorsPerDay = z.infer<typeof errorsPerDaySchema>;
export type Funnel = z.infer<typeof funnelSchema>;
