import type { Database, Insertable } from '@phoenix/db';
import type { StoredEvent } from './event-store.ts';
import { rowOf, type Stamp } from './read-model-rows.ts';

type Row<T extends keyof Database> = Insertable<Database[T]>;

/** Every read-model row of one user, as the live projection would have left them. */
export interface FoldedModels {
  energy: { balance: number; asOfMs: number; position: number };
  lunaEnergyTransactions: Row<'lunaEnergyTransactions'>[];
  lunaConversations: Map<string, Row<'lunaConversations'>>;
  lunaMessages: Row<'lunaMessages'>[];
  lunaGoals: Map<string, Row<'lunaGoals'>>;
  lunaCelebrations: Map<string, Row<'lunaCelebrations'>>;
  lunaChapters: Row<'lunaChapters'>[];
  lunaNarrativeVersions: Row<'lunaNarrativeVersions'>[];
  lunaInbox: Row<'lunaInbox'>[];
  lunaGoalProposals: Map<string, Row<'lunaGoalProposals'>>;
}

function require<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`stream refers to a missing ${what}`);
  return value;
}

/**
 * The read models of one stream, folded in memory so a rebuild writes each table in a few
 * bulk inserts instead of a statement per event. Same rules as `projections.ts`, row for
 * row; the rebuild test holds the two to equality.
 */
export function foldStream(
  userId: string,
  stored: readonly StoredEvent[],
  opening: { balance: number },
): FoldedModels {
  const m: FoldedModels = {
    energy: { balance: opening.balance, asOfMs: stored[0]?.tsMs ?? 0, position: 0 },
    lunaEnergyTransactions: [],
    lunaConversations: new Map(),
    lunaMessages: [],
    lunaGoals: new Map(),
    lunaCelebrations: new Map(),
    lunaChapters: [],
    lunaNarrativeVersions: [],
    lunaInbox: [],
    lunaGoalProposals: new Map(),
  };
  for (const { version, tsMs, event } of stored) {
    const at = new Date(tsMs);
    const stamp: Stamp = { userId, version, tsMs };
    switch (event.type) {
      case 'conversation.started':
        m.lunaConversations.set(event.payload.conversationId, rowOf.conversation(event, stamp));
        break;
      case 'conversation.archived': {
        const c = require(m.lunaConversations.get(event.payload.conversationId), 'conversation');
        Object.assign(c, { archived: true, position: version });
        break;
      }
      case 'message.sent':
      case 'coach.replied': {
        m.lunaMessages.push(rowOf.message(event, stamp));
        const c = require(m.lunaConversations.get(event.payload.conversationId), 'conversation');
        Object.assign(c, {
          messageCount: Number(c.messageCount ?? 0) + 1,
          lastMessageAt: at,
          position: version,
        });
        break;
      }
      case 'goal.created':
        m.lunaGoals.set(event.payload.goalId, rowOf.goal(event, stamp));
        break;
      case 'goal.proposed':
        m.lunaGoalProposals.set(event.payload.proposalId, rowOf.proposal(event, stamp));
        break;
      case 'goal.proposal_answered': {
        const p = require(m.lunaGoalProposals.get(event.payload.proposalId), 'proposal');
        Object.assign(p, {
          status: event.payload.goalId ? 'accepted' : 'declined',
          goalId: event.payload.goalId,
          position: version,
        });
        break;
      }
      case 'progress.received':
        m.lunaInbox.push(rowOf.inbox(event, stamp));
        break;
      case 'goal.progressed': {
        const g = require(m.lunaGoals.get(event.payload.goalId), 'goal');
        Object.assign(g, {
          progress: event.payload.progress,
          ...(event.payload.completed ? { completedAt: at } : {}),
          position: version,
        });
        break;
      }
      case 'celebration.fired':
        m.lunaCelebrations.set(event.payload.celebrationId, rowOf.celebration(event, stamp));
        break;
      case 'celebration.seen': {
        const c = require(m.lunaCelebrations.get(event.payload.celebrationId), 'celebration');
        Object.assign(c, { seen: true, position: version });
        break;
      }
      case 'narrative.chapter_written':
        m.lunaChapters.push(rowOf.chapter(event, stamp));
        break;
      case 'narrative.summarised':
        m.lunaNarrativeVersions.push(rowOf.narrativeVersion(event, stamp));
        break;
      case 'energy.changed':
        m.energy.balance = event.payload.balanceAfter;
        m.energy.asOfMs = tsMs;
        m.lunaEnergyTransactions.push(rowOf.energyTransaction(event, stamp));
        break;
      default: {
        const exhaustive: never = event;
        throw new Error(`unfolded event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  m.energy.position = stored.at(-1)?.version ?? 0;
  return m;
}
