import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@phoenix/db';
import { conflict } from '@phoenix/errors';
import {
  type Attempt,
  GatewayError,
  type RouteRequest,
  type RouteTarget,
  type Usage,
} from '@phoenix/gateway';
import type { AppDeps } from '../../context.ts';
import { storableJson, storableText } from '../../schemas/index.ts';
import { cacheKey, readCache, writeCache } from './cache.ts';
import { refundAndCloseFailed, reserveAndOpen } from './ledger-statements.ts';
import { settleAndWarnLow } from './low-credits.ts';
import { gatewayParts } from './parts.ts';
import type { Payer } from './payer.ts';
import { costOf, reservationInputTokens } from './pricing.ts';
import { type ChatResult, chatResultSchema, type ParsedChatInput } from './schemas.ts';

/**
 * The life of one gateway call, shared by the plain and the streaming call: open it
 * (idempotent replay, quotas, cache, reservation), then close it exactly once, billing
 * what the answering target used and refunding the rest of the reservation.
 */

export type Deps = Pick<AppDeps, 'db' | 'kv' | 'gateway' | 'config' | 'log' | 'metrics' | 'events'>;

/** A call whose reservation is held and whose request row is `pending`. */
export interface OpenCall {
  id: string;
  route: string;
  payer: Payer;
  reserved: number;
  started: number;
  cacheKey: string | null;
}

export type Opening = { kind: 'answered'; result: ChatResult } | { kind: 'open'; call: OpenCall };

/** How an answered call ended: completely, or a stream cut short after tokens flowed. */
export interface CallEnding {
  status: 'ok' | 'interrupted' | 'aborted';
  text: string;
  /** What the provider reported answering with; often a dated model id. */
  provider: string;
  model: string;
  /** The route target that answered: its configured model sets the price. */
  target: RouteTarget;
  usage: Usage;
  finishReason: string | null;
  attempts: readonly Attempt[];
}

/** What the gateway router is asked, plain or streamed. */
export function routeRequestOf(input: ParsedChatInput): RouteRequest {
  return {
    messages: input.messages,
    maxTokens: input.maxTokens,
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
  };
}

/** The most any target of the route could cost for this call: what is reserved up front. */
function maxCostFor(deps: Deps, input: ParsedChatInput): number {
  const inputTokens = reservationInputTokens(input.messages);
  const targets = deps.gateway.registry.route(input.route) ?? [];
  return targets
    .filter((t) => deps.gateway.registry.get(t.provider))
    .reduce(
      (max, t) =>
        Math.max(
          max,
          costOf(gatewayParts(deps).prices(t.provider, t.model), {
            inputTokens,
            outputTokens: input.maxTokens,
          }),
        ),
      0,
    );
}

const inProgress = () =>
  conflict('A request with this idempotency key is still running', {
    reason: 'IDEMPOTENCY_IN_PROGRESS',
  });

async function replay(
  deps: Deps,
  payer: Payer,
  key: { route: string; idempotencyKey: string },
): Promise<ChatResult | null> {
  const previous = await deps.db
    .selectFrom('gatewayRequests')
    .select(['id', 'status', 'response'])
    .where('userId', '=', payer.userId)
    .where('idempotencyKey', '=', key.idempotencyKey)
    .executeTakeFirst();
  if (!previous) return null;
  switch (previous.status) {
    case 'ok':
    case 'cached': {
      const first = chatResultSchema.parse(previous.response);
      deps.metrics.gatewayCalls.inc({
        route: key.route,
        provider: first.provider,
        status: 'replayed',
      });
      return { ...first, replayed: true, providerLatencyMs: 0 };
    }
    case 'pending':
      throw inProgress();
    case 'interrupted':
    case 'aborted':
      // Part of an answer was delivered and billed; asking again is a new request.
      throw conflict(
        'The request with this idempotency key ended early and was billed for what it delivered; send a new key to ask again',
        { reason: 'IDEMPOTENCY_KEY_USED' },
      );
    case 'failed':
      // A failed call cost nothing and may be retried under the same key; its log row stays.
      await deps.db
        .updateTable('gatewayRequests')
        .set({ idempotencyKey: null })
        .where('id', '=', previous.id)
        .where('status', '=', 'failed')
        .execute();
      return null;
  }
}

async function answerFromCache(
  deps: Deps,
  payer: Payer,
  input: ParsedChatInput & { key: string },
): Promise<ChatResult | null> {
  const started = performance.now();
  const hit = await readCache(deps.kv, input.key);
  if (!hit) return null;
  const id = randomUUID();
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
      response: storableJson(result),
      prompt: promptFor(deps, input),
      latencyMs: Math.round(performance.now() - started),
    })
    .execute();
  deps.metrics.gatewayCalls.inc({ route: input.route, provider: hit.provider, status: 'cached' });
  return result;
}

function promptFor(deps: Deps, input: ParsedChatInput): string | null {
  return deps.config.gateway.logPrompts ? storableJson(input.messages) : null;
}

/**
 * Everything before a provider is contacted. Answers at once for a replayed idempotency
 * key or a cache hit; otherwise reserves the most the call could cost (or refuses with
 * INSUFFICIENT_CREDITS) and opens the request row.
 */
export async function openCall(deps: Deps, payer: Payer, input: ParsedChatInput): Promise<Opening> {
  const started = performance.now();
  if (input.idempotencyKey) {
    const previous = await replay(deps, payer, {
      route: input.route,
      idempotencyKey: input.idempotencyKey,
    });
    if (previous) return { kind: 'answered', result: previous };
  }
  await gatewayParts(deps).quotas.admit(payer);
  const key = input.cache
    ? cacheKey(input, {
        userId: payer.userId,
        shared: deps.config.gateway.sharedCacheRoutes.includes(input.route),
      })
    : null;
  if (key) {
    const hit = await answerFromCache(deps, payer, { ...input, key });
    if (hit) return { kind: 'answered', result: hit };
  }

  const id = randomUUID();
  const reserved = maxCostFor(deps, input);
  try {
    await reserveAndOpen(deps.db, {
      id,
      userId: payer.userId,
      apiKeyId: payer.apiKeyId,
      route: input.route,
      reserved,
      idempotencyKey: input.idempotencyKey ?? null,
      prompt: promptFor(deps, input),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw inProgress();
    throw error;
  }
  return {
    kind: 'open',
    call: { id, route: input.route, payer, reserved, started, cacheKey: key },
  };
}

/**
 * Bills an answered call: priced by the route target that answered (providers report
 * dated model ids) and never more than was reserved; a provider over-reporting is the
 * hub's loss. Refunds the rest, closes the row, counts the tokens against the quota.
 */
export async function settleCall(
  deps: Deps,
  call: OpenCall,
  ending: CallEnding,
): Promise<ChatResult> {
  const { payer } = call;
  const { usage, attempts } = ending;
  const charged = Math.min(
    call.reserved,
    costOf(gatewayParts(deps).prices(ending.target.provider, ending.target.model), usage),
  );
  // What the provider said, as it can be stored: the plain answer, the replay, the cache
  // and the request log all carry this same text (NUL and lone surrogates as U+FFFD).
  const answer: ChatResult = {
    text: storableText(ending.text),
    provider: storableText(ending.provider),
    model: storableText(ending.model),
    usage,
    finishReason: ending.finishReason === null ? null : storableText(ending.finishReason),
    creditsCharged: charged,
    cached: false,
    replayed: false,
    requestId: call.id,
    providerLatencyMs: attempts.reduce((sum, a) => sum + a.latencyMs, 0),
  };
  // The ledger, the token quota and the cache are separate stores: write them together.
  // Once the ledger has billed, the answer is the caller's: a kv hiccup is logged, not thrown.
  await Promise.all([
    settleAndWarnLow(deps, {
      id: call.id,
      capability: 'chat',
      userId: payer.userId,
      refund: call.reserved - charged,
      status: ending.status,
      provider: answer.provider,
      model: answer.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      charged,
      latencyMs: Math.round(performance.now() - call.started),
      attempts: storableJson(attempts),
      // Only a complete answer is kept for replay.
      response: ending.status === 'ok' ? storableJson(answer) : null,
    }),
    bestEffort(
      deps,
      'token quota',
      gatewayParts(deps).quotas.recordTokens(payer, usage.inputTokens + usage.outputTokens),
    ),
    call.cacheKey && ending.status === 'ok'
      ? bestEffort(
          deps,
          'cache',
          writeCache(deps.kv, {
            key: call.cacheKey,
            answer: {
              text: answer.text,
              provider: answer.provider,
              model: answer.model,
              usage,
              finishReason: answer.finishReason,
            },
            ttlSeconds: deps.config.gateway.cacheTtlSeconds,
          }),
        )
      : undefined,
  ]);
  countBilled(deps, {
    route: call.route,
    status: ending.status,
    provider: ending.target.provider,
    usage,
    charged,
  });
  return answer;
}

async function bestEffort(deps: Deps, what: string, write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    deps.log.warn({ err: error }, `gateway: could not update the ${what} after billing a call`);
  }
}

function countBilled(
  deps: Deps,
  billed: { route: string; status: string; provider: string; usage: Usage; charged: number },
): void {
  const { metrics } = deps;
  const { provider } = billed;
  metrics.gatewayCalls.inc({ route: billed.route, provider, status: billed.status });
  metrics.gatewayTokens.inc({ provider, direction: 'input' }, billed.usage.inputTokens);
  metrics.gatewayTokens.inc({ provider, direction: 'output' }, billed.usage.outputTokens);
  metrics.gatewayCredits.inc({ provider }, billed.charged);
}

/** A call no provider answered: the whole reservation comes back, the attempts are logged. */
export async function failCall(
  deps: Deps,
  call: OpenCall,
  attempts: readonly Attempt[],
): Promise<void> {
  const closed = await refundAndCloseFailed(deps.db, {
    id: call.id,
    userId: call.payer.userId,
    refund: call.reserved,
    latencyMs: Math.round(performance.now() - call.started),
    attempts: storableJson(attempts),
  });
  if (closed)
    deps.metrics.gatewayCalls.inc({ route: call.route, provider: 'none', status: 'failed' });
}

/** The attempts a failed router call carried, if any. */
export function attemptsOf(error: unknown, fallback: readonly Attempt[] = []): readonly Attempt[] {
  return error instanceof GatewayError ? error.attempts : fallback;
}
