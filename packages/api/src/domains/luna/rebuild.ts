import type { Config } from '@phoenix/config';
import type { Database, Kysely } from '@phoenix/db';
import { energyPolicy } from './energy.ts';
import { readStream } from './event-store.ts';
import { project } from './projections.ts';

type Db = Kysely<Database>;

/** Read models a user's stream feeds, children before parents. */
const PROJECTIONS = [
  'lunaInbox',
  'lunaNarrativeVersions',
  'lunaChapters',
  'lunaCelebrations',
  'lunaGoals',
  'lunaMessages',
  'lunaConversations',
  'lunaEnergyTransactions',
] as const;

/**
 * Replays one user's stream into their read models, in one transaction that holds the
 * stream's lock: readers see the old models or the rebuilt ones, never half of each, and
 * no command appends meanwhile. Returns the number of events replayed.
 */
export async function rebuildUser(db: Db, config: Config, userId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('lunaEnergy')
      .innerJoin('users', 'users.id', 'lunaEnergy.userId')
      .select(['users.tier'])
      .where('lunaEnergy.userId', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!head) return 0;
    for (const table of PROJECTIONS) {
      await trx.deleteFrom(table).where('userId', '=', userId).execute();
    }
    const stored = await readStream(trx, userId);
    // A stream opens with a full balance; only energy events move it from there.
    await trx
      .updateTable('lunaEnergy')
      .set({
        balance: energyPolicy(config, head.tier).max,
        asOfMs: stored[0]?.tsMs ?? 0,
        position: 0,
      })
      .where('userId', '=', userId)
      .execute();
    await project(trx, userId, stored);
    return stored.length;
  });
}

/** Every stream (or one user's), with a progress report after each user. */
export async function rebuild(
  db: Db,
  config: Config,
  options: {
    userId?: string;
    onProgress?: (p: { users: number; of: number; events: number }) => void;
  },
): Promise<{ users: number; events: number }> {
  const userIds = options.userId
    ? [options.userId]
    : (await db.selectFrom('lunaEnergy').select('userId').orderBy('userId').execute()).map(
        (r) => r.userId,
      );
  let events = 0;
  for (const [i, userId] of userIds.entries()) {
    events += await rebuildUser(db, config, userId);
    options.onProgress?.({ users: i + 1, of: userIds.length, events });
  }
  return { users: userIds.length, events };
}
