import { type Database, type Kysely, type RawBuilder, sql } from '@phoenix/db';
import type { StoredEvent } from './event-store.ts';
import { rowOf, type Stamp } from './read-model-rows.ts';

type Db = Kysely<Database>;

/**
 * One write of a command: a query, and the read-model row it touches (null when the row is
 * new and nothing else in the command can touch it).
 */
export interface Write {
  row: string | null;
  query: RawBuilder<unknown>;
}

const write = (row: string | null, query: { toOperationNode(): unknown }): Write => ({
  row,
  query: sql`${query}`,
});

/**
 * The writes that apply appended events to Luna's read models, run in the append's
 * transaction so a read model never lags its stream. Each row keeps the stream
 * version that last wrote it; the energy row (the stream's head) is written once, last,
 * with the latest balance and the stream's position.
 */
export function projectionWrites(db: Db, userId: string, stored: readonly StoredEvent[]): Write[] {
  const writes: Write[] = [];
  let energy: { balance: number; asOfMs: number } | null = null;
  for (const { version, tsMs, event } of stored) {
    const at = new Date(tsMs);
    const stamp: Stamp = { userId, version, tsMs };
    switch (event.type) {
      case 'conversation.started':
        writes.push(
          write(
            `conversation:${event.payload.conversationId}`,
            db.insertInto('lunaConversations').values(rowOf.conversation(event, stamp)),
          ),
        );
        break;
      case 'conversation.archived':
        writes.push(
          write(
            `conversation:${event.payload.conversationId}`,
            db
              .updateTable('lunaConversations')
              .set({ archived: true, position: version })
              .where('id', '=', event.payload.conversationId),
          ),
        );
        break;
      case 'message.sent':
      case 'coach.replied':
        writes.push(
          write(null, db.insertInto('lunaMessages').values(rowOf.message(event, stamp))),
          write(
            `conversation:${event.payload.conversationId}`,
            db
              .updateTable('lunaConversations')
              .set((eb) => ({
                messageCount: eb('messageCount', '+', 1),
                lastMessageAt: at,
                position: version,
              }))
              .where('id', '=', event.payload.conversationId),
          ),
        );
        break;
      case 'goal.created':
        writes.push(
          write(
            `goal:${event.payload.goalId}`,
            db.insertInto('lunaGoals').values(rowOf.goal(event, stamp)),
          ),
        );
        break;
      case 'goal.proposed':
        writes.push(
          write(
            `proposal:${event.payload.proposalId}`,
            db.insertInto('lunaGoalProposals').values(rowOf.proposal(event, stamp)),
          ),
        );
        break;
      case 'goal.proposal_answered':
        writes.push(
          write(
            `proposal:${event.payload.proposalId}`,
            db
              .updateTable('lunaGoalProposals')
              .set({
                status: event.payload.goalId ? 'accepted' : 'declined',
                goalId: event.payload.goalId,
                position: version,
              })
              .where('id', '=', event.payload.proposalId),
          ),
        );
        break;
      case 'progress.received':
        writes.push(write(null, db.insertInto('lunaInbox').values(rowOf.inbox(event, stamp))));
        break;
      case 'goal.progressed':
        writes.push(
          write(
            `goal:${event.payload.goalId}`,
            db
              .updateTable('lunaGoals')
              .set({
                progress: event.payload.progress,
                ...(event.payload.completed ? { completedAt: at } : {}),
                position: version,
              })
              .where('id', '=', event.payload.goalId),
          ),
        );
        break;
      case 'celebration.fired':
        writes.push(
          write(
            `celebration:${event.payload.celebrationId}`,
            db.insertInto('lunaCelebrations').values(rowOf.celebration(event, stamp)),
          ),
        );
        break;
      case 'celebration.seen':
        writes.push(
          write(
            `celebration:${event.payload.celebrationId}`,
            db
              .updateTable('lunaCelebrations')
              .set({ seen: true, position: version })
              .where('id', '=', event.payload.celebrationId),
          ),
        );
        break;
      case 'narrative.chapter_written':
        writes.push(write(null, db.insertInto('lunaChapters').values(rowOf.chapter(event, stamp))));
        break;
      case 'narrative.summarised':
        writes.push(
          write(
            null,
            db.insertInto('lunaNarrativeVersions').values(rowOf.narrativeVersion(event, stamp)),
          ),
        );
        break;
      case 'energy.changed':
        energy = { balance: event.payload.balanceAfter, asOfMs: tsMs };
        writes.push(
          write(
            null,
            db.insertInto('lunaEnergyTransactions').values(rowOf.energyTransaction(event, stamp)),
          ),
        );
        break;
      default: {
        const exhaustive: never = event;
        throw new Error(`unprojected event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  const last = stored.at(-1);
  if (last) {
    writes.push(
      write(
        'energy',
        db
          .updateTable('lunaEnergy')
          .set({ ...energy, position: last.version })
          .where('userId', '=', userId),
      ),
    );
  }
  return writes;
}

/**
 * Runs writes in as few statements as it can: consecutive writes go out as the
 * data-modifying CTEs of one statement (one round trip), and a write to a row an earlier
 * write of the same statement touched starts the next statement (a statement sees the
 * rows as they were when it began, so two changes of one row must not share one).
 */
export async function runWrites(db: Db, writes: readonly Write[]): Promise<void> {
  let batch: Write[] = [];
  const touched = new Set<string>();
  const flush = async () => {
    if (batch.length === 1) await batch[0]?.query.execute(db);
    else if (batch.length > 1) {
      const ctes = batch.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w.query})`);
      await sql`with ${sql.join(ctes)} select 1`.execute(db);
    }
    batch = [];
    touched.clear();
  };
  for (const w of writes) {
    if (w.row !== null && touched.has(w.row)) await flush();
    if (w.row !== null) touched.add(w.row);
    batch.push(w);
  }
  await flush();
}
