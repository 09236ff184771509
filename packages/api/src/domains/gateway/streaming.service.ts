import { unavailable } from '@phoenix/errors';
import type { GatewayStream, StreamOutcome } from '@phoenix/gateway';
import type { Payer } from './payer.ts';
import {
  attemptsOf,
  type CallEnding,
  type Deps,
  failCall,
  openCall,
  routeRequestOf,
  settleCall,
} from './request-lifecycle.ts';
import { type ChatInput, type ChatResult, type ChatStreamEvent, chatInput } from './schemas.ts';

const ENDING_STATUS: Record<StreamOutcome['status'], CallEnding['status']> = {
  completed: 'ok',
  failed: 'interrupted',
  aborted: 'aborted',
};

/** A replayed or cached answer, sent as a stream of one delta. */
function* asStream(result: ChatResult): Generator<ChatStreamEvent> {
  yield {
    type: 'start',
    requestId: result.requestId,
    provider: result.provider,
    model: result.model,
    cached: result.cached,
    replayed: result.replayed,
  };
  if (result.text) yield { type: 'delta', text: result.text };
  yield endOf(result, false);
}

function endOf(result: ChatResult, usageEstimated: boolean): ChatStreamEvent {
  return {
    type: 'end',
    finishReason: result.finishReason,
    usage: result.usage,
    usageEstimated,
    creditsCharged: result.creditsCharged,
    providerLatencyMs: result.providerLatencyMs,
  };
}

/**
 * A chat completion streamed token by token, with the same money rules as `completeChat`.
 * Nothing is sent until the first token arrived, so a provider failing before it is
 * replaced by the next target. Once tokens flowed, a broken upstream ends with an error
 * (never a clean-looking end) and the call bills what was delivered, counting tokens when
 * the provider's usage never came. When the consumer leaves early (client hung up), the
 * upstream request is aborted and what was used is billed.
 */
export async function* streamChat(
  deps: Deps,
  request: { payer: Payer; input: ChatInput; signal?: AbortSignal | undefined },
): AsyncGenerator<ChatStreamEvent> {
  const { payer, signal } = request;
  const input = chatInput.parse(request.input);
  const opening = await openCall(deps, payer, input);
  if (opening.kind === 'answered') {
    yield* asStream(opening.result);
    return;
  }
  const { call } = opening;
  let stream: GatewayStream;
  try {
    stream = await deps.gateway.router.stream(
      input.route,
      routeRequestOf(input),
      signal ? { signal } : {},
    );
  } catch (error) {
    await failCall(deps, call, attemptsOf(error));
    throw error;
  }

  // Started before the first yield: a consumer leaving at any yield then runs the relay's
  // own cleanup, which aborts the upstream request and settles the outcome.
  const events = stream.events[Symbol.asyncIterator]();
  const first = await events.next();
  let bill: ChatResult;
  let outcome: StreamOutcome;
  try {
    yield {
      type: 'start',
      requestId: call.id,
      provider: stream.provider,
      model: stream.model,
      cached: false,
      replayed: false,
    };
    for (let item = first; !item.done; item = await events.next()) {
      const event = item.value;
      if (event.type === 'delta') yield { type: 'delta', text: event.text };
      if (event.type === 'error') break;
    }
  } finally {
    await events.return?.();
    outcome = await stream.outcome;
    bill = await settleCall(deps, call, {
      status: ENDING_STATUS[outcome.status],
      text: outcome.text,
      provider: outcome.provider,
      model: outcome.model,
      target: { provider: stream.provider, model: stream.model },
      usage: outcome.usage,
      finishReason: outcome.finishReason,
      attempts: stream.attempts,
    });
  }
  if (outcome.status === 'failed') {
    const credits =
      bill.creditsCharged === 1 ? '1 credit was' : `${bill.creditsCharged} credits were`;
    throw unavailable(
      `The ${outcome.provider} stream broke after ${outcome.usage.outputTokens} output tokens; ${credits} billed for what was delivered`,
      { reason: 'STREAM_INTERRUPTED' },
    );
  }
  if (outcome.status === 'completed') yield endOf(bill, outcome.usageEstimated);
}
