import type { Database, Insertable } from '@phoenix/db';
import type { LunaEvent } from './event-schemas.ts';

type Row<T extends keyof Database> = Insertable<Database[T]>;
type EventOf<T extends LunaEvent['type']> = Extract<LunaEvent, { type: T }>;

/** Where a row comes from: its stream, the event's version and time. */
export interface Stamp {
  userId: string;
  version: number;
  tsMs: number;
}

/**
 * The read-model row each creating event makes, whole (defaults spelt out). The live
 * projection inserts it; the rebuild fold keeps it in memory: one rule for both.
 */
export const rowOf = {
  conversation: (event: EventOf<'conversation.started'>, s: Stamp): Row<'lunaConversations'> => ({
    id: event.payload.conversationId,
    userId: s.userId,
    title: event.payload.title,
    archived: false,
    messageCount: 0,
    createdAt: new Date(s.tsMs),
    lastMessageAt: null,
    position: s.version,
  }),
  message: (event: EventOf<'message.sent' | 'coach.replied'>, s: Stamp): Row<'lunaMessages'> => {
    const sentiment = event.type === 'message.sent' ? event.payload.sentiment : null;
    return {
      id: event.payload.messageId,
      conversationId: event.payload.conversationId,
      userId: s.userId,
      role: event.type === 'message.sent' ? 'user' : 'coach',
      content: event.payload.content,
      degraded: event.type === 'coach.replied' && event.payload.degraded,
      valence: sentiment?.valence ?? null,
      arousal: sentiment?.arousal ?? null,
      label: sentiment?.label ?? null,
      createdAt: new Date(s.tsMs),
      position: s.version,
    };
  },
  goal: (event: EventOf<'goal.created'>, s: Stamp): Row<'lunaGoals'> => ({
    id: event.payload.goalId,
    userId: s.userId,
    title: event.payload.title,
    target: event.payload.target,
    tracks: event.payload.tracks,
    progress: 0,
    completedAt: null,
    createdAt: new Date(s.tsMs),
    position: s.version,
  }),
  proposal: (event: EventOf<'goal.proposed'>, s: Stamp): Row<'lunaGoalProposals'> => ({
    id: event.payload.proposalId,
    userId: s.userId,
    title: event.payload.title,
    target: event.payload.target,
    tracks: event.payload.tracks,
    status: 'open',
    goalId: null,
    createdAt: new Date(s.tsMs),
    position: s.version,
  }),
  inbox: (event: EventOf<'progress.received'>, s: Stamp): Row<'lunaInbox'> => ({
    eventId: event.payload.sourceEventId,
    userId: s.userId,
    source: event.payload.source,
    position: s.version,
  }),
  celebration: (event: EventOf<'celebration.fired'>, s: Stamp): Row<'lunaCelebrations'> => ({
    id: event.payload.celebrationId,
    userId: s.userId,
    kind: event.payload.kind,
    occurrence: event.payload.occurrence,
    reward: event.payload.reward,
    seen: false,
    createdAt: new Date(s.tsMs),
    position: s.version,
  }),
  chapter: (event: EventOf<'narrative.chapter_written'>, s: Stamp): Row<'lunaChapters'> => ({
    id: event.payload.chapterId,
    userId: s.userId,
    title: event.payload.title,
    body: event.payload.body,
    theme: event.payload.theme,
    createdAt: new Date(s.tsMs),
    position: s.version,
  }),
  narrativeVersion: (
    event: EventOf<'narrative.summarised'>,
    s: Stamp,
  ): Row<'lunaNarrativeVersions'> => ({
    userId: s.userId,
    version: event.payload.version,
    summary: event.payload.summary,
    covers: event.payload.covers,
    createdAt: new Date(s.tsMs),
    position: s.version,
  }),
  energyTransaction: (
    event: EventOf<'energy.changed'>,
    s: Stamp,
  ): Row<'lunaEnergyTransactions'> => ({
    userId: s.userId,
    eventVersion: s.version,
    reason: event.payload.reason,
    amount: event.payload.amount,
    balanceAfter: event.payload.balanceAfter,
    tsMs: s.tsMs,
  }),
};
