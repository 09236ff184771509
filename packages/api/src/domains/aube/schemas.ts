import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';
import { diagnosticResultSchema, dimensionSchema, growthOutlookSchema } from './model.ts';

/**
 * Inputs and outputs of the aube procedures. The pure core's shapes live in schemas.ts;
 * these add what storage and the transport bring (ids, dates, pages, localisation).
 */

export const AUBE_LOCALES = ['en', 'fr'] as const;
export const aubeLocaleSchema = z.enum(AUBE_LOCALES);

export const questionsInput = input({ locale: aubeLocaleSchema.default('en') }).default({
  locale: 'en',
});

export const questionsOutput = z.object({
  catalogVersion: z.string(),
  locale: aubeLocaleSchema,
  scale: z.object({ min: z.int(), max: z.int() }),
  items: z.array(z.object({ id: z.string(), dimension: dimensionSchema, text: z.string() })),
});

export const diagnosticSchema = diagnosticResultSchema.extend({
  id: z.uuid(),
  answers: z.record(z.string(), z.int()),
  createdAt: z.date(),
});

export const diagnosticIdInput = input({ id: z.uuid() });

const pageFields = {
  limit: z.int().min(1).max(50).default(20),
  cursor: text().min(1).max(200).optional(),
};
export const historyInput = input(pageFields).default({ limit: 20 });
export const adminHistoryInput = input({ userId: z.uuid(), ...pageFields });

export const historyOutput = z.object({
  items: z.array(diagnosticSchema),
  nextCursor: z.string().nullable(),
});

export const MATCH_LIMIT_DEFAULT = 10;
export const MATCH_LIMIT_MAX = 60;
export const matchesInput = input({
  limit: z.int().min(1).max(MATCH_LIMIT_MAX).default(MATCH_LIMIT_DEFAULT),
  /** Overrides the locale of the caller's profile. */
  locale: aubeLocaleSchema.optional(),
}).default({ limit: MATCH_LIMIT_DEFAULT });

export const localizedMatchSchema = z.object({
  rank: z.int().min(1),
  careerId: z.string(),
  title: z.string(),
  description: z.string(),
  skills: z.array(z.string()),
  matchScore: z.number().min(0).max(100),
  aiResilience: z.number().min(0).max(100),
  /** Written in English in the catalog whatever the locale. */
  aiResilienceRationale: z.string(),
  growthOutlook: growthOutlookSchema,
});

export const matchesOutput = z.object({
  diagnosticId: z.uuid(),
  type: z.string(),
  locale: aubeLocaleSchema,
  items: z.array(localizedMatchSchema),
});

export const recommendationStepSchema = z.object({
  careerId: z.string(),
  title: z.string(),
  action: z.string(),
  focusSkills: z.array(z.string()),
});

export const recommendationSchema = z.object({
  diagnosticId: z.uuid(),
  type: z.string(),
  locale: aubeLocaleSchema,
  /** The plan written through the AI gateway (the offline provider when no key is set). */
  text: z.string(),
  /** Deterministic next steps from the top matches, useful whatever the provider said. */
  steps: z.array(recommendationStepSchema),
  provider: z.string(),
  model: z.string(),
  generatedAt: z.date(),
  /** True when served from storage without calling the gateway. */
  stored: z.boolean(),
});

export const CAREER_EVENT_KINDS = ['viewed', 'saved', 'dismissed'] as const;
export const careerEventKindSchema = z.enum(CAREER_EVENT_KINDS);
const careerIdSchema = text().min(1).max(64);

export const trackInput = input({ careerId: careerIdSchema, kind: careerEventKindSchema });
export const unsaveInput = input({ careerId: careerIdSchema });
export const savedInput = input({ locale: aubeLocaleSchema.optional() }).default({});

export const trackOutput = z.object({
  careerId: z.string(),
  kind: careerEventKindSchema,
  /** Whether the career is on the saved list after this event. */
  saved: z.boolean(),
});

export const savedCareerSchema = z.object({
  careerId: z.string(),
  title: z.string(),
  growthOutlook: growthOutlookSchema,
  aiResilience: z.number(),
  savedAt: z.date(),
});

export const unsaveOutput = z.object({ careerId: z.string(), removed: z.boolean() });

export const analyticsOutput = z.object({
  diagnosticsTaken: z.int().min(0),
  lastDiagnosticAt: z.date().nullable(),
  eventsByKind: z.object({
    viewed: z.int().min(0),
    saved: z.int().min(0),
    dismissed: z.int().min(0),
  }),
  savedNow: z.int().min(0),
  topViewed: z.array(z.object({ careerId: z.string(), title: z.string(), views: z.int().min(1) })),
  lastExploredAt: z.date().nullable(),
});

export type AubeLocale = z.infer<typeof aubeLocaleSchema>;
export type Diagnostic = z.infer<typeof diagnosticSchema>;
export type HistoryPage = z.infer<typeof historyOutput>;
export type LocalizedMatch = z.infer<typeof localizedMatchSchema>;
export type Recommendation = z.infer<typeof recommendationSchema>;
export type RecommendationStep = z.infer<typeof recommendationStepSchema>;
export type CareerEventKind = z.infer<typeof careerEventKindSchema>;
export type SavedCareer = z.infer<typeof savedCareerSchema>;
export type Analytics = z.infer<typeof analyticsOutput>;
export type QuestionCatalog = z.infer<typeof questionsOutput>;
export type Matches = z.infer<typeof matchesOutput>;
export type TrackInput = z.infer<typeof trackInput>;
export type TrackResult = z.infer<typeof trackOutput>;
export type UnsaveResult = z.infer<typeof unsaveOutput>;
