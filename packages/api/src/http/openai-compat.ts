import type { HttpBindings } from '@hono/node-server';
import { DomainError, unauthenticated } from '@phoenix/errors';
import { Hono, type Context as HonoContext } from 'hono';
import { z } from 'zod';
import { presentedCredential } from '../auth/credentials.ts';
import type { AppDeps } from '../context.ts';
import { type Payer, payerOf } from '../domains/gateway/payer.ts';
import { completeChat } from '../domains/gateway/service.ts';
import { httpStatusOf, trpcCodeFor } from '../errors/to-trpc.ts';
import { authorize } from '../procedures.ts';
import type { HttpVariables } from './variables.ts';

type Env = { Bindings: HttpBindings; Variables: HttpVariables & { payer: Payer } };

/** The subset of OpenAI's chat request the hub honours; unknown fields are ignored as OpenAI does. */
const requestSchema = z.object({
  model: z.string().min(1).max(128),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant', 'developer']),
        content: z.union([
          z.string(),
          z.array(z.object({ type: z.literal('text'), text: z.string() })),
        ]),
      }),
    )
    .min(1)
    .max(200),
  max_tokens: z.int().min(1).max(32_000).optional(),
  max_completion_tokens: z.int().min(1).max(32_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().optional(),
});

/** OpenAI's error envelope, so the official client raises its usual typed errors. */
function openAiError(c: HonoContext<Env>, error: unknown) {
  if (error instanceof DomainError) {
    const code = trpcCodeFor(error.kind);
    if (error.retryAfterSeconds !== undefined)
      c.header('retry-after', String(error.retryAfterSeconds));
    return c.json(
      {
        error: {
          message: error.message,
          type: error.kind,
          code: error.reason,
          param: error.field ?? null,
        },
      },
      httpStatusOf(code) as 400,
    );
  }
  throw error;
}

/** `model` names a route (`chat.default`) or `provider/model` of a configured route target. */
function routeFor(deps: AppDeps, model: string): string {
  if (deps.gateway.registry.route(model)) return model;
  for (const [name, targets] of Object.entries(deps.gateway.registry.routes)) {
    if (targets.some((t) => `${t.provider}/${t.model}` === model)) return name;
  }
  return 'chat.default';
}

/**
 * `POST /v1/chat/completions` and `GET /v1/models`, authenticated by API key, so the
 * official `openai` client and tools built on it can use the hub as their base URL.
 */
export function openAiCompatibleRoutes(deps: AppDeps) {
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    const credential = presentedCredential(c.req.raw.headers, deps.config.auth.cookieName);
    const found =
      credential?.via === 'bearer' ? await deps.auth.apiKeys.validate(credential.token) : null;
    if (!found)
      return openAiError(
        c,
        unauthenticated('Send an API key as the bearer token', { reason: 'INVALID_API_KEY' }),
      );
    const caller = { user: found.user, apiKey: found.key, session: null, via: 'bearer' as const };
    try {
      // Every door here spends credits, so even listing models needs the write scope.
      authorize(caller, { admin: false, isWrite: true });
    } catch (error) {
      return openAiError(c, error);
    }
    c.set('payer', payerOf(caller));
    await next();
  });

  app.get('/models', (c) => {
    const created = Math.floor(Date.now() / 1000);
    const ids = new Set<string>(Object.keys(deps.gateway.registry.routes));
    for (const targets of Object.values(deps.gateway.registry.routes)) {
      for (const t of targets)
        if (deps.gateway.registry.get(t.provider)) ids.add(`${t.provider}/${t.model}`);
    }
    return c.json({
      object: 'list',
      data: [...ids].map((id) => ({ id, object: 'model', created, owned_by: 'phoenix-hub' })),
    });
  });

  app.post('/chat/completions', async (c) => {
    const started = performance.now();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(
        {
          error: {
            message: 'Request body is not valid JSON',
            type: 'invalid_request_error',
            code: 'MALFORMED_JSON',
            param: null,
          },
        },
        400,
      );
    }
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json(
        {
          error: {
            message: issue?.message ?? 'invalid request',
            type: 'invalid_request_error',
            code: 'VALIDATION_FAILED',
            param: issue?.path.join('.') ?? null,
          },
        },
        400,
      );
    }
    const request = parsed.data;
    const payer = c.get('payer');
    try {
      const answer = await completeChat(deps, payer, {
        route: routeFor(deps, request.model),
        messages: request.messages.map((m) => ({
          role: m.role === 'developer' ? 'system' : m.role,
          content:
            typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
        })),
        maxTokens: request.max_completion_tokens ?? request.max_tokens ?? 1024,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      });
      const created = Math.floor(Date.now() / 1000);
      const id = `chatcmpl-${answer.requestId.replaceAll('-', '')}`;
      const usage = {
        prompt_tokens: answer.usage.inputTokens,
        completion_tokens: answer.usage.outputTokens,
        total_tokens: answer.usage.inputTokens + answer.usage.outputTokens,
      };
      const model = `${answer.provider}/${answer.model}`;
      c.header('x-phoenix-request-id', answer.requestId);
      c.header('x-phoenix-credits-charged', String(answer.creditsCharged));
      c.header(
        'x-phoenix-overhead-ms',
        (performance.now() - started - answer.providerLatencyMs).toFixed(2),
      );
      if (request.stream) {
        // The answer is complete before the first byte: stream it as OpenAI's SSE chunks.
        const chunk = (
          delta: Record<string, unknown>,
          finish: string | null,
          extra: Record<string, unknown> = {},
        ) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
        const text =
          chunk({ role: 'assistant', content: answer.text }, null) +
          chunk({}, answer.finishReason ?? 'stop') +
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n` +
          'data: [DONE]\n\n';
        return c.body(text, 200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
        });
      }
      return c.json({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.text },
            finish_reason: answer.finishReason ?? 'stop',
          },
        ],
        usage,
      });
    } catch (error) {
      return openAiError(c, error);
    }
  });

  return app;
}
