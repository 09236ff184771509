import { type Database, type Kysely, sql, type Transaction } from '@phoenix/db';
import type { LunaCall } from './context.ts';
import { balanceAt, type EnergyPolicy } from './energy.ts';
import type { LunaEvent } from './event-schemas.ts';
import { asStreamAppend, eventRows, type StoredEvent } from './event-store.ts';
import { projectionWrites, runWrites } from './projections.ts';

export interface CommandState {
  trx: Transaction<Database>;
  /** The stream version the decision is made from. */
  version: number;
  /** The energy balance now (regeneration included). */
  energy: number;
  nowMs: number;
}

export interface CommandOptions<T> {
  userId: string;
  policy: EnergyPolicy;
  nowMs: number;
  requestId: string | null;
  /** Reads what it needs, checks the rules, returns the events to append and a result. */
  decide: (state: CommandState) => Promise<{ events: LunaEvent[]; result: T }>;
}

/** Per database handle, the tail of each user's queue of commands in this process. */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs one user's commands in this process one after another, before they take a
 * connection: fifty concurrent requests of one user then wait here, not each on a pooled
 * connection blocked on the row lock (which starved the pool). The row lock still orders
 * commands across processes.
 */
function inTurn<T>(db: object, userId: string, run: () => Promise<T>): Promise<T> {
  const forDb = queues.get(db) ?? new Map<string, Promise<void>>();
  queues.set(db, forDb);
  const result = (forDb.get(userId) ?? Promise.resolve()).then(run);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  forDb.set(userId, tail);
  void tail.then(() => {
    if (forDb.get(userId) === tail) forDb.delete(userId);
  });
  return result;
}

/**
 * One Luna command in one transaction: lock the user's head row (so one user's commands
 * run one at a time, in any number of processes, and energy can never be spent twice),
 * decide, append at the locked version and project (one statement when it can: see
 * runWrites). The expected-version check stays the safety net for any writer that skips
 * the lock.
 */
export async function runCommand<T>(
  db: Kysely<Database>,
  options: CommandOptions<T>,
): Promise<{ result: T; stored: StoredEvent[] }> {
  return inTurn(db, options.userId, () => transaction(db, options));
}

async function transaction<T>(
  db: Kysely<Database>,
  options: CommandOptions<T>,
): Promise<{ result: T; stored: StoredEvent[] }> {
  const { userId, policy, nowMs } = options;
  return db.transaction().execute(async (trx) => {
    const lockHead = () =>
      trx
        .selectFrom('lunaEnergy')
        .select(['balance', 'asOfMs', 'position'])
        .where('userId', '=', userId)
        .forUpdate()
        .executeTakeFirst();
    // A stream's first command opens its head row (full energy) before locking it.
    let head = await lockHead();
    if (!head) {
      await trx
        .insertInto('lunaEnergy')
        .values({ userId, balance: policy.max, asOfMs: nowMs, position: 0 })
        .onConflict((oc) => oc.column('userId').doNothing())
        .execute();
      head = await lockHead();
      if (!head) throw new Error(`luna head row of ${userId} vanished`);
    }
    const energy = balanceAt(head, policy, nowMs);
    const { events, result } = await options.decide({
      trx,
      version: head.position,
      energy,
      nowMs,
    });
    if (events.length === 0) return { result, stored: [] };
    const { rows, stored } = eventRows({
      userId,
      expectedVersion: head.position,
      tsMs: nowMs,
      requestId: options.requestId,
      events,
    });
    // The append and its projection in as few statements as the rows allow (often one).
    const append = { row: null, query: sql`${trx.insertInto('lunaEvents').values(rows)}` };
    await asStreamAppend(() => runWrites(trx, [append, ...projectionWrites(trx, userId, stored)]));
    return { result, stored };
  });
}

/** A command on behalf of the caller, at the request's time unless told otherwise. */
export function runCallCommand<T>(
  call: LunaCall,
  decide: CommandOptions<T>['decide'],
  options: { nowMs?: number } = {},
) {
  return runCommand(call.deps.db, {
    userId: call.payer.userId,
    policy: call.policy,
    nowMs: options.nowMs ?? call.nowMs,
    requestId: call.requestId,
    decide,
  });
}
