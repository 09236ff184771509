import { type CreditKind, type Database, isUniqueViolation, type Kysely } from '@phoenix/db';
import type { Events } from '../../platform/events/index.ts';
import type { GrantResult, TransactionPage } from './schemas.ts';

type Db = Kysely<Database>;

/** One page of a user's ledger, newest first; `beforeId` continues from the previous page. */
export async function ledgerPage(
  db: Db,
  page: { userId: string; limit: number; beforeId?: number | undefined },
): Promise<TransactionPage> {
  let query = db
    .selectFrom('creditTransactions')
    .select(['id', 'kind', 'amount', 'balanceAfter', 'reference', 'note', 'createdAt'])
    .where('userId', '=', page.userId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.beforeId) query = query.where('id', '<', page.beforeId);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  return {
    items,
    nextBeforeId: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null,
  };
}

export async function balanceOf(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('creditBalances')
    .select('balance')
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.balance ?? 0;
}

/**
 * Adds (or, for a negative adjustment, removes) credits with its ledger row, in one
 * transaction. A repeated idempotency key applies nothing and answers `applied: false`.
 */
export interface GrantEntry {
  userId: string;
  amount: number;
  kind: Exclude<CreditKind, 'reserve' | 'refund'>;
  idempotencyKey?: string | null;
  reference?: string | null;
  note?: string | null;
}

export async function grantCredits(
  { db, events }: { db: Db; events: Events },
  entry: GrantEntry,
  /** Runs in the grant's transaction with the new balance (to record it beside the grant). */
  alongside?: (trx: Db, balance: number) => Promise<void>,
): Promise<GrantResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const balance = await applyGrant(trx, entry);
      if (entry.amount > 0) {
        await events.emit(trx, {
          type: 'credits.granted',
          payload: { userId: entry.userId, amount: entry.amount, kind: entry.kind, balance },
        });
      }
      await alongside?.(trx, balance);
      return { applied: true, balance };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return { applied: false, balance: await balanceOf(db, entry.userId) };
    throw error;
  }
}

/** The grant itself, inside the caller's transaction; returns the new balance. */
export async function applyGrant(trx: Db, entry: GrantEntry): Promise<number> {
  // Update first: an upsert would check `balance >= 0` on the row it proposes to insert,
  // so a negative adjustment of an existing balance would fail even when it fits.
  const updated = await trx
    .updateTable('creditBalances')
    .set((eb) => ({ balance: eb('balance', '+', entry.amount), updatedAt: new Date() }))
    .where('userId', '=', entry.userId)
    .returning('balance')
    .executeTakeFirst();
  // No balance yet: two first grants may race here; the second adds to the first's row
  // (a plain insert would fail it on the key, read as a replayed grant, and drop it).
  const { balance } =
    updated ??
    (await trx
      .insertInto('creditBalances')
      .values({ userId: entry.userId, balance: entry.amount })
      .onConflict((oc) =>
        oc.column('userId').doUpdateSet((eb) => ({
          balance: eb('creditBalances.balance', '+', eb.ref('excluded.balance')),
          updatedAt: new Date(),
        })),
      )
      .returning('balance')
      .executeTakeFirstOrThrow());
  await trx
    .insertInto('creditTransactions')
    .values({
      userId: entry.userId,
      kind: entry.kind,
      amount: entry.amount,
      balanceAfter: balance,
      idempotencyKey: entry.idempotencyKey ?? null,
      reference: entry.reference ?? null,
      note: entry.note ?? null,
    })
    .execute();
  return balance;
}
