import type { HttpBindings } from '@hono/node-server';
import { DomainError, unauthenticated } from '@phoenix/errors';
import { Hono, type Context as HonoContext } from 'hono';
import { z } from 'zod';
import { presentedCredential } from '../auth/credentials.ts';
import type { AppDeps } from '../context.ts';
import { type Payer, payerOf } from '../domains/gateway/payer.ts';
import type { ChatInput } from '../domains/gateway/schemas.ts';
import { completeChat } from '../domains/gateway/service.ts';
import { streamChat } from '../domains/gateway/streaming.ts';
import { httpStatusOf, trpcCodeFor } from '../errors/to-trpc.ts';
import { authorize } from '../procedures.ts';
import { text } from '../schemas/index.ts';
import type { HttpVariables } from './variables.ts';

type Env = { Bindings: HttpBindings; Variables: HttpVariables & { payer: Payer } };

/** The subset of OpenAI's chat request the hub honours; unknown fields are ignored as OpenAI does. */
const requestSchema = z.object({
  model: z.string().min(1).max(128),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant', 'developer']),
        // The same text rule as the tRPC input (no NUL, no lone surrogate): a 400, not a 500.
        content: z.union([text(), z.array(z.object({ type: z.literal('text'), text: text() }))]),
      }),
    )
    .min(1)
    .max(200),
  max_tokens: z.int().min(1).max(32_000).optional(),
  max_completion_tokens: z.int().min(1).max(32_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
});
type OpenAiRequest = z.infer<typeof requestSchema>;

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

function chatInputOf(deps: AppDeps, request: OpenAiRequest): ChatInput {
  return {
    route: routeFor(deps, request.model),
    messages: request.messages.map((m) => ({
      role: m.role === 'developer' ? 'system' : m.role,
      content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
    })),
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? 1024,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
}

const completionId = (requestId: string) => `chatcmpl-${requestId.replaceAll('-', '')}`;

function openAiUsage(usage: { inputTokens: number; outputTokens: number }) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/**
 * OpenAI's streaming format, fed by the hub's own stream: the response starts once the
 * first token arrived (an outage before it is still a plain JSON error with its status),
 * and a break after tokens ends with an `error` event, never with `[DONE]`.
 */
async function streamResponse(
  c: HonoContext<Env>,
  deps: AppDeps,
  request: OpenAiRequest,
): Promise<Response> {
  const events = streamChat(deps, {
    payer: c.get('payer'),
    input: chatInputOf(deps, request),
    signal: c.req.raw.signal,
  });
  let start: Awaited<ReturnType<typeof events.next>>;
  try {
    start = await events.next();
  } catch (error) {
    return openAiError(c, error);
  }
  if (start.done || start.value.type !== 'start') throw new Error('a stream opens with start');
  const { requestId, provider, model: answeredModel } = start.value;
  const id = completionId(requestId);
  const created = Math.floor(Date.now() / 1000);
  const model = `${provider}/${answeredModel}`;
  const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  const envelope = { id, object: 'chat.completion.chunk', created, model };
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    frame({ ...envelope, choices: [{ index: 0, delta, finish_reason: finish }] });
  const encoder = new TextEncoder();
  let role = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      try {
        const item = await events.next();
        if (item.done) return controller.close();
        const event = item.value;
        if (event.type === 'delta') {
          send(
            chunk(
              role ? { role: 'assistant', content: event.text } : { content: event.text },
              null,
            ),
          );
          role = false;
        } else if (event.type === 'end') {
          send(chunk({}, event.finishReason ?? 'stop'));
          if (request.stream_options?.include_usage) {
            send(frame({ ...envelope, choices: [], usage: openAiUsage(event.usage) }));
          }
          send('data: [DONE]\n\n');
        }
      } catch (error) {
        const known = error instanceof DomainError ? error : null;
        send(
          frame({
            error: {
              message: known?.message ?? 'Internal server error',
              type: known?.kind ?? 'server_error',
              code: known?.reason ?? null,
              param: null,
            },
          }),
        );
        controller.close();
      }
    },
    async cancel() {
      // The client hung up: the stream's own cleanup aborts upstream and bills what was used.
      await events.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-phoenix-request-id': requestId,
    },
  });
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
    if (request.stream) return streamResponse(c, deps, request);
    try {
      const answer = await completeChat(deps, c.get('payer'), chatInputOf(deps, request));
      const created = Math.floor(Date.now() / 1000);
      const id = completionId(answer.requestId);
      const model = `${answer.provider}/${answer.model}`;
      c.header('x-phoenix-request-id', answer.requestId);
      c.header('x-phoenix-credits-charged', String(answer.creditsCharged));
      c.header(
        'x-phoenix-overhead-ms',
        // Everything but the provider's time: authentication and the ledger included.
        (performance.now() - c.get('startedAt') - answer.providerLatencyMs).toFixed(2),
      );
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
        usage: openAiUsage(answer.usage),
      });
    } catch (error) {
      return openAiError(c, error);
    }
  });

  return app;
}
