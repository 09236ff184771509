import { z } from 'zod';
import { calendarDate, dateTime, input, text } from '../../schemas/index.ts';

export const calendarDateSchema = calendarDate();
const cursorSchema = text().max(300);
const limitSchema = z.int().min(1).max(100).default(20);

export const okSchema = z.object({ ok: z.literal(true) });

// ---- Kaizen ----

export const kaizenTextSchema = text().trim().min(1).max(500);

export const kaizenActionSchema = z.object({
  id: z.uuid(),
  text: z.string(),
  date: z.string(),
  completed: z.boolean(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const createKaizenInput = input({
  text: kaizenTextSchema,
  /** Defaults to today in the caller's time zone. */
  date: calendarDateSchema.optional(),
});

const kaizenRangeFields = {
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  /** `desc` (default): newest day first. */
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: limitSchema,
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: cursorSchema.optional(),
};

const fromNotAfterTo = (v: { from?: string | undefined; to?: string | undefined }) =>
  !v.from || !v.to || v.from <= v.to;
const rangeRule = { error: 'to must not be before from', path: ['to'] };

export const listKaizenInput = input(kaizenRangeFields)
  .refine(fromNotAfterTo, rangeRule)
  .default({ order: 'desc', limit: 20 });

export const adminListKaizenInput = input({ userId: z.uuid(), ...kaizenRangeFields }).refine(
  fromNotAfterTo,
  rangeRule,
);

export const kaizenPageSchema = z.object({
  items: z.array(kaizenActionSchema),
  nextCursor: z.string().nullable(),
});

export const kaizenIdInput = input({ id: z.uuid() });
export const updateKaizenInput = input({ id: z.uuid(), text: kaizenTextSchema });
export const setKaizenCompletedInput = input({ id: z.uuid(), completed: z.boolean() });

export const kaizenStreaksSchema = z.object({
  /** Today in the caller's time zone, the day the current streak is measured from. */
  today: z.string(),
  currentStreak: z.int(),
  longestStreak: z.int(),
  totalActions: z.int(),
  completedActions: z.int(),
  /** completedActions / totalActions, 0 when there is no action. */
  completionRate: z.number(),
});

// ---- Zazen ----

export const zazenTriggerSchema = z.enum(['stress', 'decision', 'routine', 'other']);

export const zazenSessionSchema = z.object({
  id: z.uuid(),
  startedAt: z.date(),
  durationSeconds: z.int(),
  trigger: zazenTriggerSchema,
  notes: z.string().nullable(),
  createdAt: z.date(),
});

export const recordZazenInput = input({
  startedAt: dateTime(),
  durationSeconds: z.int().min(1).max(14_400, { error: 'a session lasts at most 4 hours' }),
  trigger: zazenTriggerSchema,
  notes: text().trim().max(2000).optional(),
});

export const listZazenInput = input({
  from: dateTime().optional(),
  to: dateTime().optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
}).default({ limit: 20 });

export const zazenPageSchema = z.object({
  items: z.array(zazenSessionSchema),
  nextCursor: z.string().nullable(),
});

export const zazenWeekSchema = z.object({
  /** Monday of the week, in the caller's time zone. */
  weekStart: z.string(),
  minutes: z.number(),
  sessions: z.int(),
});

export const zazenStatsSchema = z.object({
  sessions: z.int(),
  totalMinutes: z.number(),
  averageDurationSeconds: z.int(),
  /** The last 12 weeks, oldest first, the current week last; weeks without sessions are 0. */
  weeks: z.array(zazenWeekSchema).length(12),
  currentStreak: z.int(),
  longestStreak: z.int(),
});

// ---- Dashboard ----

export const riseStatsSchema = z.object({
  totalKaizen: z.int(),
  completedKaizen: z.int(),
  completionRate: z.number(),
  currentStreak: z.int(),
  zazenSessions: z.int(),
  totalZazenMinutes: z.number(),
  averageSessionSeconds: z.int(),
});

export type KaizenAction = z.infer<typeof kaizenActionSchema>;
export type CreateKaizenInput = z.infer<typeof createKaizenInput>;
export type ListKaizenInput = z.output<typeof listKaizenInput>;
export type KaizenPage = z.infer<typeof kaizenPageSchema>;
export type KaizenStreaks = z.infer<typeof kaizenStreaksSchema>;
export type ZazenSession = z.infer<typeof zazenSessionSchema>;
export type RecordZazenInput = z.infer<typeof recordZazenInput>;
export type ListZazenInput = z.output<typeof listZazenInput>;
export type ZazenPage = z.infer<typeof zazenPageSchema>;
export type ZazenStats = z.infer<typeof zazenStatsSchema>;
export type RiseStats = z.infer<typeof riseStatsSchema>;
