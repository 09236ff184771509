import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * A jsonb column: read back as the parsed value, written as JSON text so that node-pg
 * does not turn a JS array into a Postgres array. Keys must not contain `_`: the
 * CamelCasePlugin rewrites nested object keys on the way out.
 */
type Json<T> = ColumnType<T, string, string>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;

/** 0..100 toward the first pole of each dimension (EI, SN, TF, JP). */
export type AubeScores = Record<string, number>;
export interface AubeDimensionClarity {
  clarity: number;
  band: string;
  consistency: number;
}

/** One completed diagnostic: the answers as given and the result they scored to. */
export interface AubeDiagnosticsTable {
  id: Generated<string>;
  userId: string;
  catalogVersion: string;
  answers: Json<Record<string, number>>;
  scores: Json<AubeScores>;
  type: string;
  confidence: number;
  dimensionClarity: Json<Record<string, AubeDimensionClarity>>;
  createdAt: CreatedAt;
}

export interface AubeRecommendationStep {
  careerId: string;
  title: string;
  action: string;
  focusSkills: string[];
}

/** The AI plan for one diagnostic; generated once, then served from here. */
export interface AubeRecommendationsTable {
  diagnosticId: string;
  userId: string;
  locale: string;
  text: string;
  steps: Json<AubeRecommendationStep[]>;
  provider: string;
  model: string;
  generatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type AubeCareerEventKind = 'viewed' | 'saved' | 'dismissed';

/** Append-only log of how a user explored careers. */
export interface AubeCareerEventsTable {
  id: Generated<number>;
  userId: string;
  careerId: string;
  kind: AubeCareerEventKind;
  createdAt: CreatedAt;
}

/** Current saved list, kept in step with the events by the service. */
export interface AubeSavedCareersTable {
  userId: string;
  careerId: string;
  savedAt: CreatedAt;
}

/** Tables of the aube domain, merged into `Database`. Add one property per table. */
export interface AubeTables {
  aubeDiagnostics: AubeDiagnosticsTable;
  aubeRecommendations: AubeRecommendationsTable;
  aubeCareerEvents: AubeCareerEventsTable;
  aubeSavedCareers: AubeSavedCareersTable;
}

export type AubeDiagnosticRow = Selectable<AubeDiagnosticsTable>;
export type AubeRecommendationRow = Selectable<AubeRecommendationsTable>;
export type NewAubeRecommendationRow = Insertable<AubeRecommendationsTable>;
export type AubeCareerEventRow = Selectable<AubeCareerEventsTable>;
export type AubeSavedCareerRow = Selectable<AubeSavedCareersTable>;
