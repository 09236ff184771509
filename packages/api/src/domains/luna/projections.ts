import type { Database, Kysely } from '@phoenix/db';
import type { StoredEvent } from './event-store.ts';
import { rowOf, type Stamp } from './read-model-rows.ts';

type Db = Kysely<Database>;

/**
 * Applies appended events to Luna's read models, in the append's transaction, so a read
 * model never lags its stream. Each row keeps the stream version that last wrote it.
 */
export async function project(db: Db, userId: string, stored: readonly StoredEvent[]) {
  for (const { version, tsMs, event } of stored) {
    const at = new Date(tsMs);
    const stamp: Stamp = { userId, version, tsMs };
    switch (event.type) {
      case 'conversation.started':
        await db.insertInto('lunaConversations').values(rowOf.conversation(event, stamp)).execute();
        break;
      case 'conversation.archived':
        await db
          .updateTable('lunaConversations')
          .set({ archived: true, position: version })
          .where('id', '=', event.payload.conversationId)
          .execute();
        break;
      case 'message.sent':
      case 'coach.replied': {
        await db.insertInto('lunaMessages').values(rowOf.message(event, stamp)).execute();
        await db
          .updateTable('lunaConversations')
          .set((eb) => ({
            messageCount: eb('messageCount', '+', 1),
            lastMessageAt: at,
            position: version,
          }))
          .where('id', '=', event.payload.conversationId)
          .execute();
        break;
      }
      case 'goal.created':
        await db.insertInto('lunaGoals').values(rowOf.goal(event, stamp)).execute();
        break;
      case 'goal.proposed':
        await db.insertInto('lunaGoalProposals').values(rowOf.proposal(event, stamp)).execute();
        break;
      case 'goal.proposal_answered':
        await db
          .updateTable('lunaGoalProposals')
          .set({
            status: event.payload.goalId ? 'accepted' : 'declined',
            goalId: event.payload.goalId,
            position: version,
          })
          .where('id', '=', event.payload.proposalId)
          .execute();
        break;
      case 'progress.received':
        await db.insertInto('lunaInbox').values(rowOf.inbox(event, stamp)).execute();
        break;
      case 'goal.progressed':
        await db
          .updateTable('lunaGoals')
          .set({
            progress: event.payload.progress,
            ...(event.payload.completed ? { completedAt: at } : {}),
            position: version,
          })
          .where('id', '=', event.payload.goalId)
          .execute();
        break;
      case 'celebration.fired':
        await db.insertInto('lunaCelebrations').values(rowOf.celebration(event, stamp)).execute();
        break;
      case 'celebration.seen':
        await db
          .updateTable('lunaCelebrations')
          .set({ seen: true, position: version })
          .where('id', '=', event.payload.celebrationId)
          .execute();
        break;
      case 'narrative.chapter_written':
        await db.insertInto('lunaChapters').values(rowOf.chapter(event, stamp)).execute();
        break;
      case 'narrative.summarised':
        await db
          .insertInto('lunaNarrativeVersions')
          .values(rowOf.narrativeVersion(event, stamp))
          .execute();
        break;
      case 'energy.changed':
        await db
          .updateTable('lunaEnergy')
          .set({ balance: event.payload.balanceAfter, asOfMs: tsMs })
          .where('userId', '=', userId)
          .execute();
        await db
          .insertInto('lunaEnergyTransactions')
          .values(rowOf.energyTransaction(event, stamp))
          .execute();
        break;
      default: {
        const exhaustive: never = event;
        throw new Error(`unprojected event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  const last = stored.at(-1);
  if (last) {
    await db
      .updateTable('lunaEnergy')
      .set({ position: last.version })
      .where('userId', '=', userId)
      .execute();
  }
}
