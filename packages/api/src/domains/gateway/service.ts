import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@phoenix/db';
import { conflict } from '@phoenix/errors';
import type { Attempt } from '@phoenix/gateway';
import type { AppDeps } from '../../context.ts';
import { cacheKey, readCache, writeCache } from './cache.ts';
import { reserveAndOpen, settleAndClose } from './ledger-statements.ts';
import type { Payer } from './payer.ts';
import { costOf, reservationInputTokens } from './pricing.ts';
import { type ChatInput, type ChatResult, chatInput, chatResultSchema } from './schemas.ts';

export type { Payer } from './payer.ts';

type Deps = Pick<AppDeps, 'db' | 'kv' | 'gateway' | 'config' | 'log'>;

/** The most any target of the route could cost for this call: what is reserved up front. */
function maxCostFor(
  deps: Deps,
  route: string,
  input: { messages: { content: string }[]; maxTokens: number },
) {
  const inputTokens = reservationInputTokens(input.messages);
  const targets = deps.gateway.registry.route(route) ?? [];
  return targets
    .filter((t) => deps.gateway.registry.get(t.provider))
    .reduce(
      (max, t) =>
        Math.max(
          max,
          costOf(deps.gateway.prices(t.provider, t.model), {
            inputTokens,
            outputTokens: input.maxTokens,
          }),
        ),
      0,
    );
}

async function replay(deps: Deps, payer: Payer, key: string): Promise<ChatResult | null> {
  const previous = await deps.db
    .selectFrom('gatewayRequests')
    .select(['id', 'status', 'response'])
    .where('userId', '=', payer.userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
  if (!previous) return null;
  if (previous.status === 'ok' || previous.status === 'cached') {
    return { ...chatResultSchema.parse(previous.response), replayed: true, providerLatencyMs: 0 };
  }
  if (previous.status === 'pending') {
    throw conflict('A request with this idempotency key is still running', {
      reason: 'IDEMPOTENCY_IN_PROGRESS',
    });
  }
  // A failed request cost nothing and may be retried under the same key.
  await deps.db
    .deleteFrom('gatewayRequests')
    .where('id', '=', previous.id)
    .where('status', '=', 'failed')
    .execute();
  return null;
}

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
  const started = performance.now();
  if (input.idempotencyKey) {
    const previous = await replay(deps, payer, input.idempotencyKey);
    if (previous) return previous;
  }
  await deps.gateway.quotas.admit(payer);

  const id = randomUUID();
  const prompt = deps.config.gateway.logPrompts ? JSON.stringify(input.messages) : null;
  const key = input.cache ? cacheKey(input) : null;
  const hit = key ? await readCache(deps.kv, key) : null;
  if (hit) {
    const result: ChatResult = {
      ...hit,
      creditsCharged: 0,
      cached: true,
      replayed: false,
      requestId: id,
      providerLatencyMs: 0,
    };
    await deps.db
      .insertInto('gatewayRequests')
      .values({
        id,
        userId: payer.userId,
        apiKeyId: payer.apiKeyId,
        route: input.route,
        status: 'cached',
        provider: hit.provider,
        model: hit.model,
        attempts: '[]',
        idempotencyKey: input.idempotencyKey ?? null,
        response: JSON.stringify(result),
        prompt,
        latencyMs: Math.round(performance.now() - started),
      })
      .execute();
    return result;
  }

  const reserved = maxCostFor(deps, input.route, input);
  try {
    await reserveAndOpen(deps.db, {
      id,
      userId: payer.userId,
      apiKeyId: payer.apiKeyId,
      route: input.route,
      reserved,
      idempotencyKey: input.idempotencyKey ?? null,
      prompt,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('A request with this idempotency key is still running', {
        reason: 'IDEMPOTENCY_IN_PROGRESS',
      });
    }
    throw error;
  }

  let attempts: readonly Attempt[] = [];
  try {
    const outcome = await deps.gateway.router.chat(input.route, {
      messages: input.messages,
      maxTokens: input.maxTokens,
      ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
    });
    attempts = outcome.attempts;
    const { result } = outcome;
    // Priced by the route target that answered (providers report dated model ids), and
    // never more than was reserved: a provider over-reporting is the hub's loss.
    const answered = attempts.findLast((a) => a.status === 'ok') ?? result;
    const charged = Math.min(
      reserved,
      costOf(deps.gateway.prices(answered.provider, answered.model), result.usage),
    );
    const answer: ChatResult = {
      text: result.text,
      provider: result.provider,
      model: result.model,
      usage: result.usage,
      finishReason: result.finishReason,
      creditsCharged: charged,
      cached: false,
      replayed: false,
      requestId: id,
      providerLatencyMs: attempts.reduce((sum, a) => sum + a.latencyMs, 0),
    };
    await settleAndClose(deps.db, {
      id,
      userId: payer.userId,
      refund: reserved - charged,
      status: 'ok',
      provider: result.provider,
      model: result.model,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      charged,
      latencyMs: Math.round(performance.now() - started),
      attempts: JSON.stringify(attempts),
      response: JSON.stringify(answer),
    });
    await deps.gateway.quotas.recordTokens(
      payer,
      result.usage.inputTokens + result.usage.outputTokens,
    );
    if (key) {
      const { text, provider, model, usage, finishReason } = answer;
      await writeCache(deps.kv, {
        key,
        answer: { text, provider, model, usage, finishReason },
        ttlSeconds: deps.config.gateway.cacheTtlSeconds,
      });
    }
    return answer;
  } catch (error) {
    const failedAttempts = (error as { attempts?: readonly Attempt[] }).attempts ?? attempts;
    await settleAndClose(deps.db, {
      id,
      userId: payer.userId,
      refund: reserved,
      status: 'failed',
      provider: null,
      model: null,
      inputTokens: 0,
      outputTokens: 0,
      charged: 0,
      latencyMs: Math.round(performance.now() - started),
      attempts: JSON.stringify(failedAttempts),
      response: null,
    });
    throw error;
  }
}
