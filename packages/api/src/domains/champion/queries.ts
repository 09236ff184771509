import type { Database, Kysely, PatternKind } from '@phoenix/db';

type Db = Kysely<Database>;

/** A scenario series at its latest version. */
export function scenarioQuery(db: Db) {
  return db
    .selectFrom('championScenarios as s')
    .innerJoin('championScenarioVersions as v', (join) =>
      join.onRef('v.scenarioId', '=', 's.id').onRef('v.version', '=', 's.latestVersion'),
    )
    .select([
      's.id',
      's.championId',
      's.difficulty',
      's.createdAt',
      'v.version',
      'v.id as versionId',
      'v.title',
      'v.persona',
      'v.context',
      'v.objections',
    ]);
}

/** A pattern as the prompts carry it: what a model (or the offline provider) works from. */
export interface PromptPattern {
  kind: PatternKind;
  summary: string;
  objection: string | null;
  answer: string | null;
  quotes: string[];
}

export async function patternsForPrompt(db: Db, championId: string): Promise<PromptPattern[]> {
  return db
    .selectFrom('championPatterns')
    .select(['kind', 'summary', 'objection', 'answer', 'quotes'])
    .where('championId', '=', championId)
    .orderBy('position')
    .execute();
}
