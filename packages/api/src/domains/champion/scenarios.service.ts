import { type Database, type Kysely, sql } from '@phoenix/db';
import { conflict, notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { Payer } from '../gateway/index.ts';
import { ownChampion } from './champions.service.ts';
import { SCENARIOS } from './prompts.ts';
import { patternsForPrompt, scenarioQuery } from './queries.ts';
import type { GeneratedScenarios, ListScenariosInput, Scenario, ScenarioPage } from './schemas.ts';
import { asDomainError, askStructured } from './structured.ts';

type Db = Kysely<Database>;

/**
 * Writes scenarios from the champion's patterns through the gateway: one per difficulty,
 * each stored as a new version of that difficulty's scenario (sessions keep pointing at
 * the version they used).
 */
export async function generateScenarios(
  deps: AppDeps,
  payer: Payer,
  championId: string,
): Promise<GeneratedScenarios> {
  const champion = await ownChampion(deps.db, payer.userId, championId);
  if (champion.status !== 'ready') {
    throw conflict('Analyse the champion before generating scenarios', {
      reason: 'CHAMPION_NOT_READY',
    });
  }
  const patterns = await patternsForPrompt(deps.db, championId);
  if (patterns.length === 0) {
    throw conflict('This champion has no patterns to practise', { reason: 'NO_PATTERNS' });
  }
  let generated: Awaited<ReturnType<typeof askStructured<typeof SCENARIOS.schema>>>;
  try {
    generated = await askStructured(deps, {
      payer,
      task: SCENARIOS.task,
      system: SCENARIOS.system,
      input: { champion: champion.name, patterns },
      schema: SCENARIOS.schema,
      maxTokens: 3_000,
    });
  } catch (error) {
    throw asDomainError(error);
  }
  const byDifficulty = new Map(generated.scenarios.map((s) => [s.difficulty, s]));
  const ids = await deps.db.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const scenario of byDifficulty.values()) {
      const series = await trx
        .insertInto('championScenarios')
        .values({ championId, userId: payer.userId, difficulty: scenario.difficulty })
        .onConflict((oc) =>
          oc.columns(['championId', 'difficulty']).doUpdateSet({
            latestVersion: sql<number>`champion_scenarios.latest_version + 1`,
            updatedAt: sql<Date>`now()`,
          }),
        )
        .returning(['id', 'latestVersion'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('championScenarioVersions')
        .values({
          scenarioId: series.id,
          version: series.latestVersion,
          title: scenario.title,
          persona: scenario.persona,
          context: scenario.context,
          objections: JSON.stringify(scenario.objections),
        })
        .execute();
      out.push(series.id);
    }
    return out;
  });
  const items = await scenarioQuery(deps.db)
    .where('s.id', 'in', ids)
    .orderBy('s.createdAt')
    .orderBy('s.id')
    .execute();
  return { items };
}

const OLDEST: Keyset = {
  scope: 'scenarios',
  keys: [key.micros('s.created_at'), key.uuid('s.id')],
  order: 'asc',
};

export async function listScenarios(
  db: Db,
  userId: string,
  input: ListScenariosInput,
): Promise<ScenarioPage> {
  await ownChampion(db, userId, input.championId);
  return paginate(scenarioQuery(db).where('s.championId', '=', input.championId), OLDEST, input);
}

/** The caller's scenario of this champion, at its latest version. */
export async function currentScenario(
  db: Db,
  at: { userId: string; championId: string; scenarioId: string },
): Promise<Scenario> {
  const row = await scenarioQuery(db)
    .where('s.id', '=', at.scenarioId)
    .where('s.championId', '=', at.championId)
    .where('s.userId', '=', at.userId)
    .executeTakeFirst();
  if (!row) throw notFound('Scenario', { field: 'scenarioId' });
  return row;
}
