import type { ColumnType, Generated, Selectable } from 'kysely';

export type ChampionSource = 'transcript' | 'recording';
export type ChampionStatus = 'uploaded' | 'transcribing' | 'analyzing' | 'ready' | 'failed';
export type ChampionStep = 'transcribe' | 'diarize' | 'extract' | 'embed';
export type ChampionSpeaker = 'champion' | 'prospect';
export type PatternKind =
  | 'opening'
  | 'discovery_question'
  | 'objection_handling'
  | 'closing_technique'
  | 'tone';
export type ScenarioDifficulty = 'easy' | 'medium' | 'hard';
export type TrainingStatus = 'running' | 'ended';
export type TrainingEndReason = 'ended' | 'max_turns' | 'inactivity' | 'max_duration';

/** jsonb: written as a JSON string, read parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface ChampionsTable {
  id: Generated<string>;
  userId: string;
  name: string;
  source: ChampionSource;
  /** Where the recording is in storage (`champions/<id>/...`); null for a pasted transcript. */
  recordingKey: string | null;
  status: Generated<ChampionStatus>;
  failureReason: string | null;
  currentStep: ChampionStep | null;
  progress: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  analyzedAt: Date | null;
}

export interface ChampionTranscriptsTable {
  championId: string;
  text: string;
  createdAt: Generated<Date>;
}

export interface ChampionTurnsTable {
  championId: string;
  position: number;
  speaker: ChampionSpeaker;
  text: string;
}

export interface ChampionAnalysisStepsTable {
  championId: string;
  step: ChampionStep;
  completedAt: Generated<Date>;
  detail: Json<unknown> | null;
}

export interface ChampionPatternsTable {
  id: Generated<string>;
  championId: string;
  userId: string;
  position: number;
  kind: PatternKind;
  summary: string;
  objection: string | null;
  answer: string | null;
  quotes: Json<string[]>;
  /** `double precision[]`, unit length. */
  embedding: number[] | null;
  embeddingModel: string | null;
}

export interface ChampionScenariosTable {
  id: Generated<string>;
  championId: string;
  userId: string;
  difficulty: ScenarioDifficulty;
  latestVersion: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ChampionScenarioVersionsTable {
  id: Generated<string>;
  scenarioId: string;
  version: number;
  title: string;
  persona: string;
  context: string;
  objections: Json<string[]>;
  createdAt: Generated<Date>;
}

export interface TrainingSessionsTable {
  id: Generated<string>;
  userId: string;
  championId: string;
  scenarioVersionId: string;
  status: Generated<TrainingStatus>;
  endReason: TrainingEndReason | null;
  sellerTurns: Generated<number>;
  overallScore: number | null;
  strengths: Json<string[]> | null;
  improvements: Json<string[]> | null;
  startedAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
}

export interface TrainingTurnsTable {
  id: string;
  sessionId: string;
  position: number;
  role: 'seller' | 'prospect';
  text: string;
  score: number | null;
  feedback: string | null;
  patternKinds: Json<string[]> | null;
  createdAt: Date;
}

export type ChampionRow = Selectable<ChampionsTable>;
export type TrainingSessionRow = Selectable<TrainingSessionsTable>;

export interface ChampionTables {
  champions: ChampionsTable;
  championTranscripts: ChampionTranscriptsTable;
  championTurns: ChampionTurnsTable;
  championAnalysisSteps: ChampionAnalysisStepsTable;
  championPatterns: ChampionPatternsTable;
  championScenarios: ChampionScenariosTable;
  championScenarioVersions: ChampionScenarioVersionsTable;
  trainingSessions: TrainingSessionsTable;
  trainingTurns: TrainingTurnsTable;
}
