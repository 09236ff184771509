import type { Attempt } from './attempt.ts';
import type { AttemptControl } from './attempt-control.ts';
import { type FallbackContext, record } from './fallback.ts';
import { ProviderError, type ProviderErrorKind } from './provider-error.ts';
import { estimatePromptTokens, estimateTokens } from './tokens.ts';
import type { ChatMessage, StreamEvent, Usage } from './types.ts';

export type GatewayStreamEvent =
  | StreamEvent
  | {
      /** The stream broke after tokens flowed; what was delivered is still to be billed. */
      type: 'error';
      kind: ProviderErrorKind | 'aborted';
      message: string;
      deliveredText: string;
      estimatedUsage: Usage;
    };

export interface StreamOutcome {
  status: 'completed' | 'failed' | 'aborted';
  provider: string;
  model: string;
  text: string;
  usage: Usage;
  /** True when the provider never reported usage and it was counted from the text. */
  usageEstimated: boolean;
  costUsd?: number;
  finishReason: string | null;
}

export interface GatewayStream {
  provider: string;
  model: string;
  /** Every attempt, the streaming one completed when the stream ends. */
  attempts: readonly Attempt[];
  events: AsyncIterable<GatewayStreamEvent>;
  /** Settles when `events` ends, however it ends: completed, broken, or left early. */
  outcome: Promise<StreamOutcome>;
}

/** An upstream stream opened up to (and including) its first delta. */
export interface OpenedStream {
  head: StreamEvent[];
  rest: AsyncIterator<StreamEvent>;
  control: AttemptControl;
}

/** Pulls events until the first delta, so a stream that fails before any token can fall back. */
export async function openUntilFirstDelta(
  source: AsyncIterable<StreamEvent>,
  control: AttemptControl,
): Promise<OpenedStream> {
  const rest = source[Symbol.asyncIterator]();
  const head: StreamEvent[] = [];
  for (;;) {
    const next = await rest.next();
    if (next.done) break;
    head.push(next.value);
    if (next.value.type === 'delta') break;
  }
  return { head, rest, control };
}

interface Delivery {
  ctx: FallbackContext;
  opened: OpenedStream;
  attempt: Attempt;
  messages: readonly ChatMessage[];
  signal?: AbortSignal | undefined;
}

/** Relays an opened stream; never ends cleanly after a break, and always settles the outcome. */
export function deliver(delivery: Delivery): Pick<GatewayStream, 'events' | 'outcome'> {
  const { ctx, opened, attempt, signal } = delivery;
  const { control, head, rest } = opened;
  let settle: (outcome: StreamOutcome) => void = () => {};
  const outcome = new Promise<StreamOutcome>((resolve) => {
    settle = resolve;
  });
  const inputEstimate = estimatePromptTokens(delivery.messages);
  const started = ctx.options.now();

  async function* events(): AsyncGenerator<GatewayStreamEvent> {
    let text = '';
    let usage: Usage | undefined;
    let costUsd: number | undefined;
    let finishReason: string | null = null;
    let estimated = false;
    let status: StreamOutcome['status'] = 'aborted';
    const estimate = (): Usage => ({
      inputTokens: inputEstimate,
      outputTokens: estimateTokens(text),
    });
    const next = async (): Promise<IteratorResult<StreamEvent>> => {
      const buffered = head.shift();
      if (buffered) return { done: false, value: buffered };
      control.arm(ctx.options.streamIdleTimeoutMs);
      return rest.next();
    };
    try {
      for (;;) {
        let item: IteratorResult<StreamEvent>;
        try {
          item = await next();
        } catch (thrown) {
          const aborted = signal?.aborted === true;
          const error = thrown instanceof ProviderError ? thrown : undefined;
          status = aborted ? 'aborted' : 'failed';
          attempt.status = 'error';
          attempt.errorKind = aborted ? 'aborted' : (error?.kind ?? 'unknown');
          attempt.reason = thrown instanceof Error ? thrown.message : String(thrown);
          if (!aborted) {
            await record(ctx.breaker, attempt.provider, {
              failed: true,
              latencyMs: ctx.options.now() - started,
              retryAfterMs: error?.retryAfterMs,
            });
          }
          yield {
            type: 'error',
            kind: aborted ? 'aborted' : (error?.kind ?? 'unknown'),
            message: attempt.reason,
            deliveredText: text,
            estimatedUsage: estimate(),
          };
          return;
        }
        if (item.done) break;
        const event = item.value;
        if (event.type === 'delta') text += event.text;
        else if (event.type === 'usage') {
          usage = event.usage;
          costUsd = event.costUsd;
        } else if (event.type === 'done') {
          finishReason = event.finishReason;
          if (!usage) {
            // The provider sent no usage; bill what was delivered, and say so.
            usage = estimate();
            estimated = true;
            yield { type: 'usage', usage, estimated: true };
          }
          status = 'completed';
        }
        yield event;
      }
      if (status !== 'completed') {
        // The adapter ended without `done`: treat it as a break, never as a clean end.
        status = 'failed';
        attempt.status = 'error';
        attempt.errorKind = 'network';
        yield {
          type: 'error',
          kind: 'network',
          message: `${attempt.provider} stream ended without completing`,
          deliveredText: text,
          estimatedUsage: estimate(),
        };
      }
    } finally {
      control.dispose();
      if (status !== 'completed') {
        // Leaving early (error, abort, consumer break) must stop the upstream download.
        control.abort();
        await rest.return?.().catch(() => undefined);
      }
      const final = usage ?? estimate();
      attempt.usage = final;
      if (costUsd !== undefined) attempt.costUsd = costUsd;
      settle({
        status,
        provider: attempt.provider,
        model: attempt.model,
        text,
        usage: final,
        usageEstimated: estimated || usage === undefined,
        ...(costUsd === undefined ? {} : { costUsd }),
        finishReason,
      });
    }
  }

  return { events: events(), outcome };
}
