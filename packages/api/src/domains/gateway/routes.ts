import type { HttpBindings } from '@hono/node-server';
import { DomainError } from '@phoenix/errors';
import { Hono, type Context as HonoContext } from 'hono';
import { z } from 'zod';
import type { AppDeps, Caller } from '../../context.ts';
import { domainErrorOf } from '../../errors/store-failure.ts';
import {
  openAiErrorFor,
  openAiErrorResponse,
  openAiInvalid,
  openAiStreamError,
} from '../../http/openai-errors.ts';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import type { HttpVariables } from '../../http/variables.ts';
import { requireCaller } from '../../procedures.ts';
import { text } from '../../schemas/index.ts';
import { type Payer, payerOf } from './payer.ts';
import type { ChatInput } from './schemas.ts';
import { completeChat } from './service.ts';
import { streamChat } from './streaming.service.ts';

type Env = { Bindings: HttpBindings; Variables: HttpVariables & { payer: Payer } };

/** What the gateway accepts as one message's text (`domains/gateway/schemas.ts`). */
const MAX_CONTENT = 100_000;

const storableText = text().min(1);

const textOf = (content: string | { text: string }[]) =>
  typeof content === 'string' ? content : content.map((p) => p.text).join('');

/** The subset of OpenAI's chat request the hub honours; unknown fields are ignored as OpenAI does. */
const requestSchema = z.object({
  model: storableText.max(128),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant', 'developer']),
        content: z.union([
          storableText.max(MAX_CONTENT),
          z
            .array(z.object({ type: z.literal('text'), text: storableText.max(MAX_CONTENT) }))
            .min(1)
            .max(100)
            .refine((parts) => textOf(parts).length <= MAX_CONTENT, {
              message: `the parts together must be at most ${MAX_CONTENT} characters`,
            }),
        ]),
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

/**
 * A thrown error in OpenAI's envelope: a store failure becomes its typed 503 first; an
 * unknown error is rethrown to the app's handler (a 500 in the same envelope).
 */
function openAiError(c: HonoContext<Env>, deps: AppDeps, error: unknown) {
  const domain = domainErrorOf(deps, error, { requestId: c.get('requestId'), path: c.req.path });
  return openAiErrorFor(c, domain ?? error);
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
      content: textOf(m.content),
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
    return openAiError(c, deps, error);
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
        if (!(error instanceof DomainError))
          deps.log.error({ err: error, requestId }, 'OpenAI-compatible stream failed');
        send(frame({ error: openAiStreamError(error) }));
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
  // A store failing under the API-key check answers in OpenAI's envelope too.
  app.onError((error, c) => openAiError(c, deps, error));

  app.use(async (c, next) => {
    let caller: Caller;
    try {
      // Every door here spends credits, so even listing models needs the write scope.
      caller = await requireCaller(
        { headers: c.req.raw.headers, config: deps.config, auth: deps.auth },
        { admin: false, isWrite: true, apiKeyOnly: true },
      );
    } catch (error) {
      return openAiError(c, deps, error);
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
      return openAiErrorResponse(c, {
        code: 'BAD_REQUEST',
        message: 'Request body is not valid JSON',
        reason: 'MALFORMED_JSON',
      });
    }
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) return openAiInvalid(c, parsed.error);
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
      return openAiError(c, deps, error);
    }
  });

  // Unknown paths under /v1 get the app's 404, which speaks OpenAI's shape there.
  for (const path of ['/models', '/chat/completions']) {
    app.all(path, (c) =>
      openAiErrorResponse(c, {
        code: 'METHOD_NOT_SUPPORTED',
        message: `${c.req.method} is not allowed on /v1${path}`,
        reason: 'METHOD_NOT_ALLOWED',
      }),
    );
  }
  return app;
}

/** The OpenAI-compatible API under `/v1` (bodies limited like tRPC's). */
export const gatewayRoutes: PlainRoutes = {
  path: '/v1',
  limitBody: true,
  mount: (app, deps) => app.route('/v1', openAiCompatibleRoutes(deps)),
};
