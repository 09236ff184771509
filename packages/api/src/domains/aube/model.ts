import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

/**
 * The model of Phoenix Aube (dimensions, catalog items, results). Every exported type is inferred from a schema here so
 * the router, the SDK and the pure core cannot drift apart.
 */

/** The four preference axes, each named by its first then its second pole. */
export const DIMENSIONS = ['EI', 'SN', 'TF', 'JP'] as const;
export const dimensionSchema = z.enum(DIMENSIONS);

/** Which pole agreeing with an item pushes toward: E/S/T/J is `first`, I/N/F/P `second`. */
export const directionSchema = z.enum(['first', 'second']);

export const LIKERT_MIN = 1;
export const LIKERT_MAX = 5;
export const likertSchema = z.int().min(LIKERT_MIN).max(LIKERT_MAX);

export const localizedTextSchema = z.object({
  en: z.string().trim().min(1),
  fr: z.string().trim().min(1),
});

export const questionSchema = z.object({
  id: z.string().regex(/^q\d{2,3}$/, 'expected a question id such as q07'),
  dimension: dimensionSchema,
  direction: directionSchema,
  text: localizedTextSchema,
});

const percentSchema = z.number().min(0).max(100);
const unitSchema = z.number().min(0).max(1);

/** 0..100 toward the first pole of each dimension; 50 is balanced. */
export const dimensionScoresSchema = z.object({
  EI: percentSchema,
  SN: percentSchema,
  TF: percentSchema,
  JP: percentSchema,
});

// Generous compared with the catalog (32 items) but small enough that a hostile body
// cannot make validation walk a huge object.
export const MAX_ANSWERS = 200;
const MAX_QUESTION_ID_LENGTH = 16;

export const diagnosticAnswersInputSchema = input({
  catalogVersion: text().trim().min(1).max(32),
  answers: z
    .record(text().min(1).max(MAX_QUESTION_ID_LENGTH), likertSchema)
    .refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, {
      error: `at most ${MAX_ANSWERS} answers`,
    }),
});

export const personalityTypeSchema = z.templateLiteral([
  z.enum(['E', 'I']),
  z.enum(['S', 'N']),
  z.enum(['T', 'F']),
  z.enum(['J', 'P']),
]);

/** Bands of `clarity` (|score - 50| / 50); see scoring.ts for the cut points. */
export const clarityBandSchema = z.enum(['balanced', 'slight', 'moderate', 'clear', 'very_clear']);

export const dimensionClaritySchema = z.object({
  /** |score - 50| / 50: 0 balanced, 1 every item answered at the extreme of one pole. */
  clarity: unitSchema,
  band: clarityBandSchema,
  /** How much the non-neutral answers agree with each other: 0 they cancel out, 1 they all lean the same way. */
  consistency: unitSchema,
});

export const diagnosticResultSchema = z.object({
  catalogVersion: z.string(),
  scores: dimensionScoresSchema,
  type: personalityTypeSchema,
  confidence: unitSchema,
  dimensionClarity: z.object({
    EI: dimensionClaritySchema,
    SN: dimensionClaritySchema,
    TF: dimensionClaritySchema,
    JP: dimensionClaritySchema,
  }),
});

export const growthOutlookSchema = z.enum(['declining', 'stable', 'growing', 'booming']);

export const careerSchema = z.object({
  id: z
    .string()
    .max(64)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug'),
  title: localizedTextSchema,
  description: localizedTextSchema,
  skills: z.array(z.string().trim().min(1)).min(3).max(6),
  /** The profile of a typical, satisfied practitioner, on the same 0..100 scale as scores. */
  profile: dimensionScoresSchema,
  aiResilience: percentSchema,
  aiResilienceRationale: z.string().trim().min(1),
  growthOutlook: growthOutlookSchema,
});

export const careerMatchSchema = z.object({
  career: careerSchema,
  matchScore: percentSchema,
  aiResilience: percentSchema,
});

export type Dimension = z.infer<typeof dimensionSchema>;
export type Direction = z.infer<typeof directionSchema>;
export type LocalizedText = z.infer<typeof localizedTextSchema>;
export type Question = z.infer<typeof questionSchema>;
export type DimensionScores = z.infer<typeof dimensionScoresSchema>;
export type DiagnosticAnswersInput = z.infer<typeof diagnosticAnswersInputSchema>;
export type PersonalityType = z.infer<typeof personalityTypeSchema>;
export type ClarityBand = z.infer<typeof clarityBandSchema>;
export type DimensionClarity = z.infer<typeof dimensionClaritySchema>;
export type DiagnosticResult = z.infer<typeof diagnosticResultSchema>;
export type GrowthOutlook = z.infer<typeof growthOutlookSchema>;
export type Career = z.infer<typeof careerSchema>;
export type CareerMatch = z.infer<typeof careerMatchSchema>;
