import type { Config } from '@phoenix/config';
import type { Database, Insertable, Kysely } from '@phoenix/db';
import { energyPolicy } from './energy.ts';
import { readStream } from './event-store.ts';
import { foldStream } from './rebuild-fold.ts';

type Db = Kysely<Database>;

/** Rows per insert: well under Postgres's 65,535 bound parameters for the widest table. */
const CHUNK = 1_000;

async function insertAll<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as Insertable<Database[T]>[])
      .execute();
  }
}

/** Read models a user's stream feeds, children before parents. */
const PROJECTIONS = [
  'lunaGoalProposals',
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
 * Replays one user's stream into their read models (folded in memory, then written in
 * bulk), in one transaction that holds the stream's lock: readers see the old models or the rebuilt ones, never half of each, and
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
    const models = foldStream(userId, stored, { balance: energyPolicy(config, head.tier).max });
    await trx.updateTable('lunaEnergy').set(models.energy).where('userId', '=', userId).execute();
    // Parents before children (messages reference conversations).
    await insertAll(trx, 'lunaConversations', [...models.lunaConversations.values()]);
    await insertAll(trx, 'lunaMessages', models.lunaMessages);
    await insertAll(trx, 'lunaGoals', [...models.lunaGoals.values()]);
    await insertAll(trx, 'lunaCelebrations', [...models.lunaCelebrations.values()]);
    await insertAll(trx, 'lunaChapters', models.lunaChapters);
    await insertAll(trx, 'lunaNarrativeVersions', models.lunaNarrativeVersions);
    await insertAll(trx, 'lunaInbox', models.lunaInbox);
    await insertAll(trx, 'lunaGoalProposals', [...models.lunaGoalProposals.values()]);
    await insertAll(trx, 'lunaEnergyTransactions', models.lunaEnergyTransactions);
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
