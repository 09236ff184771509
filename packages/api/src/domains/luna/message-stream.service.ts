import { DomainError } from '@phoenix/errors';
import { streamChat } from '../gateway/index.ts';
import type { LunaCall } from './context.ts';
import { getMessage } from './conversations.service.ts';
import {
  beginMessage,
  MAX_TOKENS,
  type MessageInput,
  ROUTE,
  recordReply,
  refundAbandoned,
  sendResultOf,
} from './messages.service.ts';
import type { MessageStreamEvent } from './schemas.ts';

/**
 * `luna.messages.send`, streamed: the recorded message, the coach's tokens as they come,
 * then the recorded reply with the energy. A gateway failure, before or during the tokens,
 * ends in the degraded reply (the client replaces what it showed with it), refunded like
 * the unstreamed call. A client hanging up (the subscription is returned, or its signal
 * aborts) aborts the gateway call, which bills what was used and releases the rest of its
 * reservation; the message stays without a reply and its energy is given back.
 */
export async function* streamMessage(
  call: LunaCall,
  input: MessageInput & { idempotencyKey: string },
  signal?: AbortSignal,
): AsyncGenerator<MessageStreamEvent> {
  const { messageId, register, prompt } = await beginMessage(call, input);
  let replied = false;
  try {
    yield { type: 'message', message: await getMessage(call.deps.db, messageId) };
    let text = '';
    let answer: string | null = null;
    /** The gateway's `end`: the whole answer came, and was billed as such. */
    let ended = false;
    try {
      const events = streamChat(call.deps, {
        payer: call.payer,
        input: {
          route: ROUTE,
          messages: prompt,
          maxTokens: MAX_TOKENS,
          idempotencyKey: `luna:${input.idempotencyKey}`,
        },
        signal,
      });
      for await (const event of events) {
        if (event.type === 'delta') {
          text += event.text;
          yield { type: 'delta', text: event.text };
        }
        if (event.type === 'end') ended = true;
      }
      answer = text.trim();
    } catch (error) {
      if (signal?.aborted) return;
      if (!(error instanceof DomainError) || error.kind === 'invalid') throw error;
      answer = null;
    }
    // An aborted gateway stream ends quietly: what it said is not a whole answer. One that
    // ended before the client left was paid for whole: its reply is kept (in the history).
    if (signal?.aborted && !ended) return;
    const recorded = await recordReply(call, {
      conversationId: input.conversationId,
      messageId,
      register,
      answer,
    });
    // Stored: the energy is the reply's, even if reading it back or the client then fails.
    replied = true;
    yield { type: 'reply', result: await sendResultOf(call, recorded) };
  } finally {
    if (!replied) await refundAbandoned(call);
  }
}
