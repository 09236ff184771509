import { randomUUID } from 'node:crypto';
import type { Attempt } from '@phoenix/gateway';
import { storableJson } from '../../schemas/index.ts';
import { reserveAndOpen } from './ledger-statements.ts';
import { settleAndWarnLow } from './low-credits.ts';
import { gatewayParts } from './parts.ts';
import type { Payer } from './payer.ts';
import { costOf, reservationInputTokens } from './pricing.ts';
import { attemptsOf, type Deps, failCall, type OpenCall } from './request-lifecycle.ts';

export const DEFAULT_EMBED_ROUTE = 'embed.default';

export interface EmbedInput {
  route?: string;
  texts: readonly string[];
  purpose?: 'document' | 'query';
}

export interface Embedded {
  vectors: number[][];
  /** `provider/model` of the route target that answered: vectors of two models never mix. */
  model: string;
  creditsCharged: number;
  requestId: string;
}

/**
 * Embeddings on behalf of a user, billed like a chat call: quotas first, the most any
 * target of the route could cost reserved before a provider is contacted, the answering
 * target's price for the input tokens settled, the rest refunded; a call that fails
 * everywhere costs nothing. Request log, ledger and metrics are the chat call's.
 */
export async function embedTexts(deps: Deps, payer: Payer, input: EmbedInput): Promise<Embedded> {
  const route = input.route ?? DEFAULT_EMBED_ROUTE;
  const texts = [...input.texts];
  const parts = gatewayParts(deps);
  await parts.quotas.admit(payer);
  const inputTokens = reservationInputTokens(texts.map((content) => ({ content })));
  const reserved = (deps.gateway.registry.route(route) ?? [])
    .filter((t) => deps.gateway.registry.get(t.provider))
    .reduce(
      (max, t) =>
        Math.max(max, costOf(parts.prices(t.provider, t.model), { inputTokens, outputTokens: 0 })),
      0,
    );
  const call: OpenCall = {
    id: randomUUID(),
    route,
    payer,
    reserved,
    started: performance.now(),
    cacheKey: null,
  };
  await reserveAndOpen(deps.db, {
    id: call.id,
    userId: payer.userId,
    apiKeyId: payer.apiKeyId,
    route,
    reserved,
    idempotencyKey: null,
    prompt: null,
  });
  let answered: Awaited<ReturnType<typeof deps.gateway.router.embed>>;
  try {
    answered = await deps.gateway.router.embed(route, {
      input: texts,
      ...(input.purpose ? { purpose: input.purpose } : {}),
    });
  } catch (error) {
    await failCall(deps, call, attemptsOf(error));
    throw error;
  }
  const { result, attempts } = answered;
  const target: Pick<Attempt, 'provider' | 'model'> =
    attempts.findLast((a) => a.status === 'ok') ?? result;
  const charged = Math.min(
    reserved,
    costOf(parts.prices(target.provider, target.model), result.usage),
  );
  await settleAndWarnLow(deps, {
    id: call.id,
    capability: 'embed',
    userId: payer.userId,
    refund: reserved - charged,
    status: 'ok',
    provider: result.provider,
    model: result.model,
    inputTokens: result.usage.inputTokens,
    outputTokens: 0,
    charged,
    latencyMs: Math.round(performance.now() - call.started),
    attempts: storableJson(attempts),
    response: null,
  });
  try {
    await parts.quotas.recordTokens(payer, result.usage.inputTokens);
  } catch (error) {
    deps.log.warn({ err: error }, 'gateway: could not update the token quota after billing a call');
  }
  deps.metrics.gatewayCalls.inc({ route, provider: target.provider, status: 'ok' });
  deps.metrics.gatewayTokens.inc(
    { provider: target.provider, direction: 'input' },
    result.usage.inputTokens,
  );
  deps.metrics.gatewayCredits.inc({ provider: target.provider }, charged);
  return {
    vectors: result.vectors,
    model: `${target.provider}/${target.model}`,
    creditsCharged: charged,
    requestId: call.id,
  };
}
