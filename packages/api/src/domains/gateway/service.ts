import type { Payer } from './payer.ts';
import {
  attemptsOf,
  type Deps,
  failCall,
  openCall,
  routeRequestOf,
  settleCall,
} from './request-lifecycle.ts';
import { type ChatInput, type ChatResult, chatInput } from './schemas.ts';

export type { Payer } from './payer.ts';

/**
 * One chat completion on behalf of a user: every product domain asks here, never a
 * provider directly. Reserves the most the call could cost before any provider is
 * contacted, bills what the answering attempt used, refunds the rest; a call that fails
 * everywhere costs nothing; a replayed idempotency key returns the first answer.
 */
export async function completeChat(
  deps: Deps,
  payer: Payer,
  rawInput: ChatInput,
): Promise<ChatResult> {
  const input = chatInput.parse(rawInput);
  const opening = await openCall(deps, payer, input);
  if (opening.kind === 'answered') return opening.result;
  const { call } = opening;
  try {
    const { result, attempts } = await deps.gateway.router.chat(input.route, routeRequestOf(input));
    return await settleCall(deps, call, {
      status: 'ok',
      text: result.text,
      provider: result.provider,
      model: result.model,
      target: attempts.findLast((a) => a.status === 'ok') ?? result,
      usage: result.usage,
      finishReason: result.finishReason,
      attempts,
    });
  } catch (error) {
    await failCall(deps, call, attemptsOf(error));
    throw error;
  }
}
