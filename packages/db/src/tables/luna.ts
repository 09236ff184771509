import type { ColumnType, Generated, Selectable } from 'kysely';

/** One event of a user's Luna stream; rows are never updated (a trigger refuses it). */
export interface LunaEventsTable {
  id: Generated<string>;
  userId: string;
  version: number;
  type: string;
  schemaVersion: number;
  /** jsonb: written as a JSON string, read parsed. */
  payload: ColumnType<unknown, string, never>;
  tsMs: number;
  requestId: string | null;
}

export interface LunaEnergyTable {
  userId: string;
  /** The balance at `asOfMs`; regeneration since then is computed, never stored by a cron. */
  balance: number;
  asOfMs: number;
  /** The stream version this projection has applied. */
  position: number;
}

export interface LunaEnergyTransactionsTable {
  id: Generated<string>;
  userId: string;
  eventVersion: number;
  reason: string;
  amount: number;
  balanceAfter: number;
  tsMs: number;
}

export interface LunaConversationsTable {
  id: string;
  userId: string;
  title: string;
  archived: Generated<boolean>;
  messageCount: Generated<number>;
  createdAt: Date;
  lastMessageAt: Date | null;
  position: number;
}

export interface LunaMessagesTable {
  id: string;
  conversationId: string;
  userId: string;
  role: 'user' | 'coach';
  content: string;
  degraded: Generated<boolean>;
  valence: number | null;
  arousal: number | null;
  label: string | null;
  createdAt: Date;
  position: number;
}

export interface LunaGoalsTable {
  id: string;
  userId: string;
  title: string;
  /** Milestones to reach; the goal is complete when progress reaches it. */
  target: number;
  /** The kind of other domain's event that moves it, if any. */
  tracks: string | null;
  progress: Generated<number>;
  completedAt: Date | null;
  createdAt: Date;
  position: number;
}

export interface LunaCelebrationsTable {
  id: string;
  userId: string;
  kind: string;
  /** What this firing celebrates (a goal id, 'first'): unique per user and kind. */
  occurrence: string;
  reward: number;
  seen: Generated<boolean>;
  createdAt: Date;
  position: number;
}

export interface LunaChaptersTable {
  id: string;
  userId: string;
  title: string;
  body: string;
  theme: string | null;
  createdAt: Date;
  position: number;
}

/** Every summary of the narrative Luna wrote; none is ever replaced. */
export interface LunaNarrativeVersionsTable {
  userId: string;
  version: number;
  summary: string;
  covers: number;
  createdAt: Date;
  position: number;
}

/** Other domains' events already applied (at-least-once delivery made exactly-once). */
export interface LunaInboxTable {
  eventId: string;
  userId: string;
  source: string;
  position: number;
}

export interface LunaGoalProposalsTable {
  id: string;
  userId: string;
  title: string;
  target: number;
  tracks: string | null;
  status: ColumnType<
    'open' | 'accepted' | 'declined',
    'open' | 'accepted' | 'declined' | undefined
  >;
  /** The goal an accepted proposal became. */
  goalId: string | null;
  createdAt: Date;
  position: number;
}

export interface LunaTables {
  lunaGoalProposals: LunaGoalProposalsTable;
  lunaInbox: LunaInboxTable;
  lunaChapters: LunaChaptersTable;
  lunaNarrativeVersions: LunaNarrativeVersionsTable;
  lunaGoals: LunaGoalsTable;
  lunaCelebrations: LunaCelebrationsTable;
  lunaEvents: LunaEventsTable;
  lunaEnergy: LunaEnergyTable;
  lunaEnergyTransactions: LunaEnergyTransactionsTable;
  lunaConversations: LunaConversationsTable;
  lunaMessages: LunaMessagesTable;
}

export type LunaEventRow = Selectable<LunaEventsTable>;
export type LunaConversationRow = Selectable<LunaConversationsTable>;
export type LunaMessageRow = Selectable<LunaMessagesTable>;
