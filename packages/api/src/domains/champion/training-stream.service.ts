import type { AppDeps } from '../../context.ts';
import { type Payer, streamChat } from '../gateway/index.ts';
import { asDomainError, ROLEPLAY_ROUTE } from './structured.ts';
import { abandonTurn, beginTurn, finishTurn } from './training.service.ts';
import type { RespondInput, RespondResult, RespondStreamEvent } from './training-schemas.ts';

/**
 * `training.respond`, streamed: the seller's recorded turn, the prospect's answer token by
 * token (through the gateway's `streamChat`, billed the same way), then the scored result.
 * A failure, or the client hanging up before the result, takes the seller's turn back so
 * it can be sent again; the idempotency key names the turn, so a reconnect never answers
 * it twice.
 */
export async function* respondStream(
  deps: AppDeps,
  request: { payer: Payer; input: RespondInput & { idempotencyKey: string }; signal?: AbortSignal },
): AsyncGenerator<RespondStreamEvent> {
  const { payer, input, signal } = request;
  const begun = await beginTurn(deps, payer.userId, input);
  let result: RespondResult | undefined;
  try {
    yield { type: 'turn', turn: begun.turn };
    let text = '';
    const events = streamChat(deps, {
      payer,
      input: {
        route: ROLEPLAY_ROUTE,
        messages: begun.prompt,
        maxTokens: 300,
        temperature: 0.7,
        idempotencyKey: `training:${begun.turn.id}`,
      },
      signal,
    });
    for await (const event of events) {
      if (event.type === 'delta') {
        text += event.text;
        yield { type: 'delta', text: event.text };
      }
    }
    result = await finishTurn(deps, payer, {
      sessionId: input.sessionId,
      begun,
      reply: text.trim(),
    });
  } catch (error) {
    throw asDomainError(error);
  } finally {
    if (!result) await abandonTurn(deps, begun.turn.id);
  }
  yield { type: 'result', result };
}
