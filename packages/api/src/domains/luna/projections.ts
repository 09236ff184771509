import type { Database, Kysely } from '@phoenix/db';
import type { StoredEvent } from './event-store.ts';

type Db = Kysely<Database>;

/**
 * Applies appended events to Luna's read models, in the append's transaction, so a read
 * model never lags its stream. Each row keeps the stream version that last wrote it.
 */
export async function project(db: Db, userId: string, stored: readonly StoredEvent[]) {
  for (const { version, tsMs, event } of stored) {
    const at = new Date(tsMs);
    switch (event.type) {
      case 'conversation.started':
        await db
          .insertInto('lunaConversations')
          .values({
            id: event.payload.conversationId,
            userId,
            title: event.payload.title,
            createdAt: at,
            position: version,
          })
          .execute();
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
        const user = event.type === 'message.sent';
        const { sentiment } = user ? event.payload : { sentiment: null };
        await db
          .insertInto('lunaMessages')
          .values({
            id: event.payload.messageId,
            conversationId: event.payload.conversationId,
            userId,
            role: user ? 'user' : 'coach',
            content: event.payload.content,
            degraded: event.type === 'coach.replied' && event.payload.degraded,
            valence: sentiment?.valence ?? null,
            arousal: sentiment?.arousal ?? null,
            label: sentiment?.label ?? null,
            createdAt: at,
            position: version,
          })
          .execute();
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
        await db
          .insertInto('lunaGoals')
          .values({
            id: event.payload.goalId,
            userId,
            title: event.payload.title,
            target: event.payload.target,
            tracks: event.payload.tracks,
            createdAt: at,
            position: version,
          })
          .execute();
        break;
      case 'goal.proposed':
        await db
          .insertInto('lunaGoalProposals')
          .values({
            id: event.payload.proposalId,
            userId,
            title: event.payload.title,
            target: event.payload.target,
            tracks: event.payload.tracks,
            createdAt: at,
            position: version,
          })
          .execute();
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
        await db
          .insertInto('lunaInbox')
          .values({
            eventId: event.payload.sourceEventId,
            userId,
            source: event.payload.source,
            position: version,
          })
          .execute();
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
        await db
          .insertInto('lunaCelebrations')
          .values({
            id: event.payload.celebrationId,
            userId,
            kind: event.payload.kind,
            occurrence: event.payload.occurrence,
            reward: event.payload.reward,
            createdAt: at,
            position: version,
          })
          .execute();
        break;
      case 'celebration.seen':
        await db
          .updateTable('lunaCelebrations')
          .set({ seen: true, position: version })
          .where('id', '=', event.payload.celebrationId)
          .execute();
        break;
      case 'narrative.chapter_written':
        await db
          .insertInto('lunaChapters')
          .values({
            id: event.payload.chapterId,
            userId,
            title: event.payload.title,
            body: event.payload.body,
            theme: event.payload.theme,
            createdAt: at,
            position: version,
          })
          .execute();
        break;
      case 'narrative.summarised':
        await db
          .insertInto('lunaNarrativeVersions')
          .values({
            userId,
            version: event.payload.version,
            summary: event.payload.summary,
            covers: event.payload.covers,
            createdAt: at,
            position: version,
          })
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
          .values({
            userId,
            eventVersion: version,
            reason: event.payload.reason,
            amount: event.payload.amount,
            balanceAfter: event.payload.balanceAfter,
            tsMs,
          })
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
