import type { Config } from '@phoenix/config';
import type { Database, Kysely, TrainingEndReason } from '@phoenix/db';

export type TrainingRules = Config['champion']['training'];

export const rulesOf = (deps: { config: Pick<Config, 'champion'> }): TrainingRules =>
  deps.config.champion.training;

/** Why a running session is over now (inactivity, length), or null while it may go on. */
export function expiryOf(
  session: { startedAt: Date; lastActivityAt: Date },
  at: { now: number; rules: TrainingRules },
): TrainingEndReason | null {
  if (at.now - session.lastActivityAt.getTime() >= at.rules.inactivityMs) return 'inactivity';
  if (at.now - session.startedAt.getTime() >= at.rules.maxDurationMs) return 'max_duration';
  return null;
}

/** Sessions of a champion still running: status `running` and not past a time limit. */
export async function runningSessionsOf(
  db: Kysely<Database>,
  at: { championId: string; now: number; rules: TrainingRules },
): Promise<number> {
  const rows = await db
    .selectFrom('trainingSessions')
    .select(['startedAt', 'lastActivityAt'])
    .where('championId', '=', at.championId)
    .where('status', '=', 'running')
    .execute();
  return rows.filter((s) => expiryOf(s, at) === null).length;
}
