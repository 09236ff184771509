import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

const cursorSchema = text().max(300);
const limitSchema = z.int().min(1).max(100).default(20);
const pageFields = { limit: limitSchema, cursor: cursorSchema.optional() };
/** One keyset page of `item`s. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const championStatus = z.enum(['uploaded', 'transcribing', 'analyzing', 'ready', 'failed']);
export const championStep = z.enum(['transcribe', 'diarize', 'extract', 'embed']);
export const patternKind = z.enum([
  'opening',
  'discovery_question',
  'objection_handling',
  'closing_technique',
  'tone',
]);
export const difficulty = z.enum(['easy', 'medium', 'hard']);

/** Hard ceiling of the schema; CHAMPION_TRANSCRIPT_MAX_CHARS (lower) is checked by the service. */
export const TRANSCRIPT_SCHEMA_MAX = 1_000_000;

export const createFromTranscriptInput = input({
  name: text().trim().min(1).max(200),
  transcript: text().min(1).max(TRANSCRIPT_SCHEMA_MAX),
});
export type CreateFromTranscriptInput = z.infer<typeof createFromTranscriptInput>;

export const idInput = input({ id: z.uuid() });
export const championIdInput = input({ championId: z.uuid() });
export const listInput = input({ ...pageFields }).default({ limit: 20 });
export type ListInput = z.infer<typeof listInput>;

export const stepStateSchema = z.object({
  step: championStep,
  state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  completedAt: z.date().nullable(),
});

export const championSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  source: z.enum(['transcript', 'recording']),
  status: championStatus,
  failureReason: z.string().nullable(),
  /** 0..100, by steps done. */
  progress: z.int(),
  currentStep: championStep.nullable(),
  steps: z.array(stepStateSchema),
  patternCount: z.int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  analyzedAt: z.date().nullable(),
});
export type Champion = z.infer<typeof championSchema>;

export const championSummarySchema = championSchema.omit({ steps: true, patternCount: true });
export type ChampionSummary = z.infer<typeof championSummarySchema>;
export const championPageSchema = pageOf(championSummarySchema);
export type ChampionPage = z.infer<typeof championPageSchema>;

export const progressSchema = z.object({
  status: championStatus,
  progress: z.int(),
  currentStep: championStep.nullable(),
  failureReason: z.string().nullable(),
  updatedAt: z.date(),
});
export type Progress = z.infer<typeof progressSchema>;

export const turnSchema = z.object({
  position: z.int(),
  speaker: z.enum(['champion', 'prospect']),
  text: z.string(),
});
export const transcriptSchema = z.object({
  text: z.string().nullable(),
  turns: z.array(turnSchema),
});
export type Transcript = z.infer<typeof transcriptSchema>;

export const patternSchema = z.object({
  id: z.uuid(),
  championId: z.uuid(),
  kind: patternKind,
  summary: z.string(),
  objection: z.string().nullable(),
  answer: z.string().nullable(),
  quotes: z.array(z.string()),
  embedded: z.boolean(),
});
export type Pattern = z.infer<typeof patternSchema>;

export const patternsInput = input({ championId: z.uuid(), ...pageFields });
export type PatternsInput = z.infer<typeof patternsInput>;
export const patternPageSchema = pageOf(patternSchema);
export type PatternPage = z.infer<typeof patternPageSchema>;

export const similarPatternsInput = input({
  query: text().trim().min(1).max(2_000),
  limit: z.int().min(1).max(50).default(10),
  kind: patternKind.optional(),
});
export type SimilarPatternsInput = z.infer<typeof similarPatternsInput>;
export const similarPatternSchema = patternSchema.extend({
  championName: z.string(),
  /** Cosine similarity, -1..1. */
  similarity: z.number(),
});
export type SimilarPattern = z.infer<typeof similarPatternSchema>;
export const similarPatternsSchema = z.object({
  model: z.string(),
  items: z.array(similarPatternSchema),
});
export type SimilarPatterns = z.infer<typeof similarPatternsSchema>;

export const scenarioSchema = z.object({
  id: z.uuid(),
  championId: z.uuid(),
  difficulty,
  /** The version training.start would use now. */
  version: z.int(),
  versionId: z.uuid(),
  title: z.string(),
  persona: z.string(),
  context: z.string(),
  objections: z.array(z.string()),
  createdAt: z.date(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export const scenarioPageSchema = pageOf(scenarioSchema);
export type ScenarioPage = z.infer<typeof scenarioPageSchema>;
export const listScenariosInput = input({ championId: z.uuid(), ...pageFields });
export type ListScenariosInput = z.infer<typeof listScenariosInput>;
export const generatedScenariosSchema = z.object({ items: z.array(scenarioSchema) });
export type GeneratedScenarios = z.infer<typeof generatedScenariosSchema>;

export const okSchema = z.object({ ok: z.literal(true) });
