import { DomainError } from '@phoenix/errors';
import { streamChat } from '../gateway/index.ts';
import type { LunaCall } from './context.ts';
import { getMessage } from './conversations.service.ts';
import {
  beginMessage,
  finishMessage,
  MAX_TOKENS,
  type MessageInput,
  ROUTE,
} from './messages.service.ts';
import type { MessageStreamEvent } from './schemas.ts';

/**
 * `luna.messages.send`, streamed: the recorded message, the coach's tokens as they come,
 * then the recorded reply with the energy. A gateway failure, before or during the tokens,
 * ends in the degraded reply (the client replaces what it showed with it), refunded like
 * the unstreamed call. A client hanging up aborts the gateway call (billed for what was
 * used); its message stays, without a reply.
 */
export async function* streamMessage(
  call: LunaCall,
  input: MessageInput & { idempotencyKey: string },
  signal?: AbortSignal,
): AsyncGenerator<MessageStreamEvent> {
  const { messageId, register, prompt } = await beginMessage(call, input);
  yield { type: 'message', message: await getMessage(call.deps.db, messageId) };
  let text = '';
  let answer: string | null = null;
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
    }
    answer = text.trim();
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind === 'invalid') throw error;
    answer = null;
  }
  const result = await finishMessage(call, {
    conversationId: input.conversationId,
    messageId,
    register,
    answer,
  });
  yield { type: 'reply', result };
}
