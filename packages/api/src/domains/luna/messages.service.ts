import { createHash, randomUUID } from 'node:crypto';
import { conflict, DomainError } from '@phoenix/errors';
import { completeChat } from '../gateway/index.ts';
import { balanceAfter, celebrate } from './celebrations.ts';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import { getMessage, requireOpenConversation } from './conversations.service.ts';
import { balanceAt, energyDepleted, energyView } from './energy.ts';
import type { LunaEvent } from './event-schemas.ts';
import { moodOver, recentLabels } from './mood.ts';
import { latestSummary } from './narrative.service.ts';
import {
  buildPrompt,
  type ChatMessage,
  degradedReply,
  LOW_STREAK,
  type PromptFacts,
  type Register,
  registerFor,
} from './prompt.ts';
import type { Energy, SendResult } from './schemas.ts';
import { analyseSentiment } from './sentiment.ts';
import { currentStreak } from './streak.ts';

export const ROUTE = 'luna.chat';
export const MAX_TOKENS = 400;
const HISTORY_TURNS = 30;

async function conversationTurns(
  call: LunaCall,
  conversationId: string,
): Promise<PromptFacts['history']> {
  const rows = await call.deps.db
    .selectFrom('lunaMessages')
    .select(['role', 'content'])
    .where('conversationId', '=', conversationId)
    .orderBy('position', 'desc')
    .limit(HISTORY_TURNS)
    .execute();
  return rows.reverse();
}

/** Asks the gateway; a refusal it would give anyone (no provider, no credits) is null. */
export async function askCoach(call: LunaCall, messages: ChatMessage[]): Promise<string | null> {
  try {
    const answer = await completeChat(call.deps, call.payer, {
      route: ROUTE,
      messages,
      maxTokens: MAX_TOKENS,
    });
    return answer.text.trim();
  } catch (error) {
    if (error instanceof DomainError && error.kind !== 'invalid') {
      call.deps.log.warn({ reason: error.reason }, 'luna answers in degraded mode');
      return null;
    }
    throw error;
  }
}

export interface MessageInput {
  conversationId: string;
  content: string;
  /** A stream's key: the message id is derived from it, so a replay is refused, never spent twice. */
  idempotencyKey?: string | undefined;
}

/** A UUID derived from the user and key: the same key always names the same message. */
function messageIdFor(userId: string, key: string | undefined): string {
  if (!key) return randomUUID();
  const hex = createHash('sha256').update(`${userId}:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What phase one leaves for the coach's call and the reply. */
export interface BegunMessage {
  messageId: string;
  register: Register;
  prompt: ChatMessage[];
}

/** Phase one: spend the energy and record the message; then build the coach's prompt. */
export async function beginMessage(call: LunaCall, input: MessageInput): Promise<BegunMessage> {
  const userId = call.payer.userId;
  const { policy } = call;
  const sentiment = analyseSentiment(input.content);
  const messageId = messageIdFor(userId, input.idempotencyKey);
  await runCallCommand(call, async ({ trx, energy }) => {
    await requireOpenConversation(trx, userId, input.conversationId);
    const replayed = await trx
      .selectFrom('lunaMessages')
      .select('id')
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (replayed) {
      throw conflict('This message was already sent', { reason: 'IDEMPOTENCY_KEY_USED' });
    }
    if (energy < policy.perMessage) throw energyDepleted(energy, policy);
    const events: LunaEvent[] = [
      {
        type: 'energy.changed',
        payload: {
          amount: -policy.perMessage,
          reason: 'message',
          balanceAfter: energy - policy.perMessage,
        },
      },
      {
        type: 'message.sent',
        payload: {
          conversationId: input.conversationId,
          messageId,
          content: input.content,
          sentiment,
        },
      },
    ];
    // A streak of days with a message: celebrated once, named by the day it started.
    const streak = await currentStreak(trx, {
      userId,
      timeZone: call.timeZone,
      nowMs: call.nowMs,
    });
    if (streak.days >= call.deps.config.luna.streakDays) {
      const fired = await celebrate(trx, {
        userId,
        kind: 'streak',
        occurrence: streak.since,
        energy: balanceAfter(events, energy),
        policy,
      });
      events.push(...fired);
    }
    // Mood recovered: a good message right after a low streak (the supportive register).
    const before = await recentLabels(trx, userId, LOW_STREAK);
    if (sentiment.label === 'positive' && registerFor(before) === 'supportive') {
      events.push(
        ...(await celebrate(trx, {
          userId,
          kind: 'mood_recovered',
          occurrence: messageId,
          energy: balanceAfter(events, energy),
          policy,
        })),
      );
    }
    return { events, result: null };
  });

  try {
    const [labels, moodWeek, history, story] = await Promise.all([
      recentLabels(call.deps.db, userId, LOW_STREAK),
      moodOver(call.deps.db, userId, { days: 7, nowMs: call.nowMs }),
      conversationTurns(call, input.conversationId),
      latestSummary(call.deps.db, userId),
    ]);
    const register = registerFor(labels);
    const prompt = buildPrompt({
      register,
      moodWeek,
      story: story?.summary ?? null,
      history,
      tokenBudget: call.deps.config.luna.promptTokenBudget,
    });
    return { messageId, register, prompt };
  } catch (error) {
    // The energy was spent and committed above: no reply will come, so it goes back.
    await refundAbandoned(call);
    throw error;
  }
}

/** A reply as recorded: from here on the message is answered, whatever happens next. */
export interface RecordedReply {
  messageId: string;
  replyId: string;
  degraded: boolean;
  register: Register;
  energyAfter: number;
  nowMs: number;
}

/**
 * Phase three: record the reply (the deterministic one when no AI answered, with the
 * energy given back). Once this returns, the energy is the reply's: a failure after it
 * (reading the result back) must not refund it.
 */
export async function recordReply(
  call: LunaCall,
  options: { conversationId: string; messageId: string; register: Register; answer: string | null },
): Promise<RecordedReply> {
  const { policy } = call;
  const { answer, register } = options;
  const degraded = answer === null;
  const replyId = randomUUID();
  // The reply is written at the time it arrived, so regeneration while waiting counts.
  const nowMs = call.deps.clock.now();
  const { result: energyAfter } = await runCallCommand(
    call,
    async ({ energy }) => {
      const events: LunaEvent[] = [
        {
          type: 'coach.replied',
          payload: {
            conversationId: options.conversationId,
            messageId: replyId,
            content: answer ?? degradedReply(register),
            degraded,
          },
        },
      ];
      if (!degraded) return { events, result: energy };
      const balanceAfter = Math.min(policy.max, energy + policy.perMessage);
      const refunded = Math.round(balanceAfter - energy);
      if (refunded > 0) {
        events.push({
          type: 'energy.changed',
          payload: { amount: refunded, reason: 'degraded_refund', balanceAfter },
        });
      }
      return { events, result: balanceAfter };
    },
    { nowMs },
  );
  return { messageId: options.messageId, replyId, degraded, register, energyAfter, nowMs };
}

/** What the caller is answered: the message and its reply as stored, and the energy. */
export async function sendResultOf(call: LunaCall, recorded: RecordedReply): Promise<SendResult> {
  return {
    message: await getMessage(call.deps.db, recorded.messageId),
    reply: await getMessage(call.deps.db, recorded.replyId),
    degraded: recorded.degraded,
    register: recorded.register,
    energy: energyView(recorded.energyAfter, call.policy, recorded.nowMs),
  };
}

/**
 * One message to Luna: the energy is spent and the message recorded first (one
 * transaction), the gateway is asked outside any transaction, then the reply is recorded.
 * When no AI can answer, Luna still replies, deterministically, bills nothing and gives the
 * energy back.
 */
export async function sendMessage(call: LunaCall, input: MessageInput): Promise<SendResult> {
  const { messageId, register, prompt } = await beginMessage(call, input);
  let recorded: RecordedReply | null = null;
  try {
    const answer = await askCoach(call, prompt);
    recorded = await recordReply(call, {
      conversationId: input.conversationId,
      messageId,
      register,
      answer,
    });
  } finally {
    // The provider refused the message (a content policy), or the server failed before the
    // reply was stored: no reply, so the energy goes back, as for a stream whose client left.
    if (!recorded) await refundAbandoned(call);
  }
  return sendResultOf(call, recorded);
}

/** The energy of a message that got no reply (its client left, or the server failed). */
export async function refundAbandoned(call: LunaCall): Promise<void> {
  const { policy } = call;
  try {
    await runCallCommand(
      call,
      async ({ energy }) => {
        const balanceAfter = Math.min(policy.max, energy + policy.perMessage);
        const amount = Math.round(balanceAfter - energy);
        const events: LunaEvent[] =
          amount > 0
            ? [
                {
                  type: 'energy.changed',
                  payload: { amount, reason: 'abandoned_refund', balanceAfter },
                },
              ]
            : [];
        return { events, result: null };
      },
      { nowMs: call.deps.clock.now() },
    );
  } catch (error) {
    call.deps.log.error({ err: error }, 'luna could not refund an abandoned message');
  }
}

/** The caller's energy now, computed from time. */
export async function currentEnergy(call: LunaCall): Promise<Energy> {
  const row = await call.deps.db
    .selectFrom('lunaEnergy')
    .select(['balance', 'asOfMs'])
    .where('userId', '=', call.payer.userId)
    .executeTakeFirst();
  const balance = row ? balanceAt(row, call.policy, call.nowMs) : call.policy.max;
  return energyView(balance, call.policy, call.nowMs);
}
