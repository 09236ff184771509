import type { Config } from '@phoenix/config';
import { type Database, type Kysely, sql, type Tier } from '@phoenix/db';
import { energyPolicy } from './energy.ts';
import { readStream } from './event-store.ts';
import { type FoldedModels, foldStream } from './rebuild-fold.ts';

type Db = Kysely<Database>;

/** Rows per insert: each chunk goes as one JSON parameter. */
const CHUNK = 5_000;

/** Read models a user's stream feeds (the energy head row aside), parents first. */
const PROJECTIONS = [
  'luna_conversations',
  'luna_messages',
  'luna_goals',
  'luna_celebrations',
  'luna_chapters',
  'luna_narrative_versions',
  'luna_inbox',
  'luna_goal_proposals',
  'luna_energy_transactions',
] as const;
type Projection = (typeof PROJECTIONS)[number];

export interface RebuildProgress {
  users: number;
  of: number;
  events: number;
}

export interface RebuildOptions {
  /** One user's stream only (rebuilt in place, in one transaction). */
  userId?: string;
  /** Called after each user; the rebuild waits for what it returns. */
  onProgress?: (p: RebuildProgress) => void | Promise<void>;
}

export interface RebuildResult {
  users: number;
  events: number;
  /** Streams that moved while the fresh tables filled, replayed again before the swap. */
  caughtUp: number;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Inserts rows (all with the same fields) into `schema.table`, a chunk per statement sent as
 * one JSON parameter: far cheaper to bind and parse than a parameter per value.
 */
async function insertAll(
  db: Db,
  target: { schema: string; table: Projection },
  rows: readonly object[],
) {
  const [first] = rows;
  if (!first) return;
  const fields = Object.keys(first);
  const names = fields.map(snake);
  const table = sql.id(target.schema, target.table);
  const columns = sql.join(names.map((name) => sql.id(name)));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((row) => {
      const values = row as Record<string, unknown>;
      return Object.fromEntries(fields.map((field, f) => [names[f], values[field] ?? null]));
    });
    await sql`
      insert into ${table} (${columns})
      select ${columns} from json_populate_recordset(null::${table}, ${JSON.stringify(chunk)}::json)`.execute(
      db,
    );
  }
}

/** Deletes one user's rows from the read models in `schema`, children first. */
async function deleteModels(db: Db, schema: string, userId: string) {
  for (const table of [...PROJECTIONS].reverse()) {
    await sql`delete from ${sql.id(schema, table)} where user_id = ${userId}`.execute(db);
  }
}

/** Writes one user's folded read models (the energy head row aside) into `schema`, parents first. */
async function insertModels(db: Db, schema: string, models: FoldedModels) {
  const into = (table: Projection) => ({ schema, table });
  await insertAll(db, into('luna_conversations'), [...models.lunaConversations.values()]);
  await insertAll(db, into('luna_messages'), models.lunaMessages);
  await insertAll(db, into('luna_goals'), [...models.lunaGoals.values()]);
  await insertAll(db, into('luna_celebrations'), [...models.lunaCelebrations.values()]);
  await insertAll(db, into('luna_chapters'), models.lunaChapters);
  await insertAll(db, into('luna_narrative_versions'), models.lunaNarrativeVersions);
  await insertAll(db, into('luna_inbox'), models.lunaInbox);
  await insertAll(db, into('luna_goal_proposals'), [...models.lunaGoalProposals.values()]);
  await insertAll(db, into('luna_energy_transactions'), models.lunaEnergyTransactions);
}

/** One stream folded from its events alone; it opens with the tier's full balance. */
async function foldUser(db: Db, config: Config, user: { userId: string; tier: Tier }) {
  const stored = await readStream(db, user.userId);
  const opening = { balance: energyPolicy(config, user.tier).max };
  return { models: foldStream(user.userId, stored, opening), events: stored.length };
}

function streams(db: Db, userId?: string) {
  let query = db
    .selectFrom('lunaEnergy')
    .innerJoin('users', 'users.id', 'lunaEnergy.userId')
    .select(['lunaEnergy.userId', 'users.tier', 'lunaEnergy.position'])
    .orderBy('lunaEnergy.userId');
  if (userId) query = query.where('lunaEnergy.userId', '=', userId);
  return query;
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

/** Sets the energy head rows to their folded state, a chunk of users per statement. */
async function writeHeads(db: Db, heads: ReadonlyMap<string, FoldedModels['energy']>) {
  const entries = [...heads];
  for (let i = 0; i < entries.length; i += CHUNK) {
    const values = entries
      .slice(i, i + CHUNK)
      .map(
        ([userId, e]) =>
          sql`(${userId}::uuid, ${e.balance}::double precision, ${e.asOfMs}::bigint, ${e.position}::integer)`,
      );
    await sql`
      update luna_energy as e
      set balance = v.balance, as_of_ms = v.as_of_ms, position = v.position
      from (values ${sql.join(values)}) as v (user_id, balance, as_of_ms, position)
      where e.user_id = v.user_id`.execute(db);
  }
}

/**
 * One user: their rows are deleted and replayed from their stream in one transaction that
 * holds the stream's lock, so readers see the old models or the rebuilt ones, never half of
 * each, and no command appends meanwhile.
 */
async function rebuildOneUser(
  db: Db,
  config: Config,
  userId: string,
): Promise<{ users: number; events: number }> {
  return db.transaction().execute(async (trx) => {
    const user = await streams(trx, userId).forUpdate().executeTakeFirst();
    if (!user) return { users: 0, events: 0 };
    const live = await currentSchema(trx);
    await deleteModels(trx, live, userId);
    const { models, events } = await foldUser(trx, config, user);
    await writeHeads(trx, new Map([[userId, models.energy]]));
    await insertModels(trx, live, models);
    return { users: 1, events };
  });
}

/** The keys and indexes of a read-model table, as SQL that recreates them. */
async function keysAndIndexes(db: Db, table: string) {
  const { rows: constraints } = await sql<{ name: string; def: string; kind: string }>`
    select conname as name, pg_get_constraintdef(oid) as def, contype as kind
    from pg_constraint
    where conrelid = ${table}::regclass and contype in ('p', 'u', 'f')`.execute(db);
  const { rows: indexes } = await sql<{ def: string }>`
    select pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid = ${table}::regclass
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  return { table, constraints, indexes };
}

/**
 * Every stream, into fresh tables: each read model is created empty beside the live one
 * (in a scratch schema, same name and columns, no indexes yet), filled from the streams
 * while the live tables keep serving, then swapped in by one transaction that stops
 * commands, catches up the streams that moved meanwhile, drops the old tables, moves the
 * new ones in and gives them their keys and indexes back. Readers see the old models or the
 * rebuilt ones, never half of each.
 */
async function rebuildAll(
  db: Db,
  config: Config,
  onProgress: RebuildOptions['onProgress'],
): Promise<RebuildResult> {
  const live = await currentSchema(db);
  const scratch = `${live}_luna_rebuild`.slice(0, 63);
  // Left over by a rebuild that died before its swap: dropped, never swapped in.
  await db.transaction().execute(async (trx) => {
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(trx);
    await sql`create schema ${sql.id(scratch)}`.execute(trx);
    for (const table of PROJECTIONS) {
      await sql`create table ${sql.id(scratch, table)}
        (like ${sql.id(live, table)} including defaults including constraints)`.execute(trx);
    }
  });
  const folded = new Map<string, FoldedModels['energy']>();
  const users = await streams(db).execute();
  let events = 0;
  // The next stream is read and folded while this one is written (another connection).
  const fold = (user: (typeof users)[number] | undefined) => {
    if (!user) return null;
    const folding = foldUser(db, config, user);
    folding.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    return folding;
  };
  let next = fold(users[0]);
  for (const [i, user] of users.entries()) {
    const result = await next;
    if (!result) break;
    next = fold(users[i + 1]);
    await insertModels(db, scratch, result.models);
    folded.set(user.userId, result.models.energy);
    events += result.events;
    await onProgress?.({ users: i + 1, of: users.length, events });
  }

  return db.transaction().execute(async (trx) => {
    // Commands lock their head row first: this waits for those running and holds the rest.
    await sql`lock table luna_energy in exclusive mode`.execute(trx);
    let caughtUp = 0;
    for (const user of await streams(trx).execute()) {
      if (folded.get(user.userId)?.position === user.position) continue;
      await deleteModels(trx, scratch, user.userId);
      const result = await foldUser(trx, config, user);
      await insertModels(trx, scratch, result.models);
      folded.set(user.userId, result.models.energy);
      caughtUp += 1;
    }
    await writeHeads(trx, folded);
    const shapes = [];
    for (const table of PROJECTIONS) shapes.push(await keysAndIndexes(trx, table));
    await sql`drop table ${sql.join(PROJECTIONS.map((table) => sql.id(live, table)))}`.execute(trx);
    for (const table of PROJECTIONS) {
      await sql`alter table ${sql.id(scratch, table)} set schema ${sql.id(live)}`.execute(trx);
    }
    // Primary and unique keys before the foreign keys that point at them.
    const ordered = shapes.flatMap(({ table, constraints }) =>
      constraints.map((c) => ({ table, ...c })),
    );
    ordered.sort((a, b) => Number(a.kind === 'f') - Number(b.kind === 'f'));
    for (const c of ordered) {
      await sql`alter table ${sql.id(live, c.table)} add constraint ${sql.id(c.name)} ${sql.raw(c.def)}`.execute(
        trx,
      );
    }
    for (const { indexes } of shapes) {
      for (const index of indexes) await sql.raw(index.def).execute(trx);
    }
    await sql`drop schema ${sql.id(scratch)}`.execute(trx);
    return { users: folded.size, events, caughtUp };
  });
}

/**
 * Replays Luna's streams into its read models: every stream into fresh tables swapped in
 * at the end, or one user's in place; a progress report after each user.
 */
export async function rebuild(
  db: Db,
  config: Config,
  options: RebuildOptions,
): Promise<RebuildResult> {
  if (!options.userId) return rebuildAll(db, config, options.onProgress);
  const result = await rebuildOneUser(db, config, options.userId);
  await options.onProgress?.({ ...result, of: 1 });
  return { ...result, caughtUp: 0 };
}
