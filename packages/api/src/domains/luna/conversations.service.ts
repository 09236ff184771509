import { randomUUID } from 'node:crypto';
import type { Database, Kysely } from '@phoenix/db';
import { conflict, notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { balanceAfter, celebrate } from './celebrations.ts';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import type { LunaEvent } from './event-schemas.ts';
import {
  type Conversation,
  type ConversationPage,
  type Message,
  type MessagePage,
  sentimentLabel,
} from './schemas.ts';

type Db = Kysely<Database>;

const NOT_FOUND = 'Conversation';
const CONVERSATION_COLUMNS = [
  'id',
  'title',
  'archived',
  'messageCount',
  'createdAt',
  'lastMessageAt',
] as const;

/** The caller's conversation; another user's id reads exactly like a missing one. */
export async function getConversation(db: Db, userId: string, id: string): Promise<Conversation> {
  const row = await db
    .selectFrom('lunaConversations')
    .select(CONVERSATION_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

export async function startConversation(
  call: LunaCall,
  input: { title?: string | undefined },
): Promise<Conversation> {
  const conversationId = randomUUID();
  const title = input.title ?? `Conversation of ${new Date(call.nowMs).toISOString().slice(0, 10)}`;
  const userId = call.payer.userId;
  await runCallCommand(call, async ({ trx, energy }) => {
    const events: LunaEvent[] = [
      { type: 'conversation.started', payload: { conversationId, title } },
    ];
    events.push(
      ...(await celebrate(trx, {
        userId,
        kind: 'first_conversation',
        occurrence: 'first',
        energy: balanceAfter(events, energy),
        policy: call.policy,
      })),
    );
    // The first conversation after a chapter was written opens that chapter (once per chapter).
    const chapter = await trx
      .selectFrom('lunaChapters')
      .select('id')
      .where('userId', '=', userId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (chapter) {
      events.push(
        ...(await celebrate(trx, {
          userId,
          kind: 'new_chapter',
          occurrence: chapter.id,
          energy: balanceAfter(events, energy),
          policy: call.policy,
        })),
      );
    }
    return { events, result: null };
  });
  return getConversation(call.deps.db, call.payer.userId, conversationId);
}

export async function archiveConversation(call: LunaCall, id: string): Promise<Conversation> {
  const userId = call.payer.userId;
  await runCallCommand(call, async ({ trx }) => {
    const conversation = await getConversation(trx, userId, id);
    // Archiving twice changes nothing and writes no second event.
    if (conversation.archived) return { events: [], result: null };
    return {
      events: [{ type: 'conversation.archived', payload: { conversationId: id } }],
      result: null,
    };
  });
  return getConversation(call.deps.db, userId, id);
}

/** An open conversation of the caller, for a new message. */
export async function requireOpenConversation(
  db: Db,
  userId: string,
  id: string,
): Promise<Conversation> {
  const conversation = await getConversation(db, userId, id);
  if (conversation.archived) {
    throw conflict('This conversation is archived', { reason: 'CONVERSATION_ARCHIVED' });
  }
  return conversation;
}

export async function listConversations(
  db: Db,
  userId: string,
  input: { includeArchived: boolean; limit: number; cursor?: string | undefined },
): Promise<ConversationPage> {
  let query = db
    .selectFrom('lunaConversations')
    .select(CONVERSATION_COLUMNS)
    .where('userId', '=', userId);
  if (!input.includeArchived) query = query.where('archived', '=', false);
  const keyset: Keyset = {
    scope: 'luna-conversations',
    keys: [key.micros('created_at'), key.uuid()],
    order: 'desc',
  };
  return paginate(query, keyset, input);
}

const MESSAGE_COLUMNS = [
  'id',
  'role',
  'content',
  'degraded',
  'valence',
  'arousal',
  'label',
  'createdAt',
] as const;

type MessageRow = {
  id: string;
  role: 'user' | 'coach';
  content: string;
  degraded: boolean;
  valence: number | null;
  arousal: number | null;
  label: string | null;
  createdAt: Date;
};

export function toMessage(row: MessageRow): Message {
  const { valence, arousal, label, ...rest } = row;
  const known = sentimentLabel.safeParse(label);
  const sentiment =
    valence !== null && arousal !== null && known.success
      ? { valence, arousal, label: known.data }
      : null;
  return { ...rest, sentiment };
}

export async function getMessage(db: Db, id: string): Promise<Message> {
  const row = await db
    .selectFrom('lunaMessages')
    .select(MESSAGE_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toMessage(row);
}

/** A conversation's messages, oldest first, in stream order. */
export async function messageHistory(
  db: Db,
  userId: string,
  input: { conversationId: string; limit: number; cursor?: string | undefined },
): Promise<MessagePage> {
  await getConversation(db, userId, input.conversationId);
  const query = db
    .selectFrom('lunaMessages')
    .select(MESSAGE_COLUMNS)
    .where('conversationId', '=', input.conversationId)
    .where('userId', '=', userId);
  const keyset: Keyset = { scope: 'luna-messages', keys: [key.int('position')], order: 'asc' };
  const page = await paginate(query, keyset, input);
  return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
}
