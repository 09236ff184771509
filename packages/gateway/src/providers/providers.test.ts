import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error.ts';
import {
  anthropicMessage,
  anthropicStream,
  cohereResponse,
  cohereStream,
  geminiResponse,
  geminiStream,
  groqStream,
  openAiCompletion,
  openAiError,
  openAiStream,
  openRouterStream,
} from '../testing/payloads.ts';
import { collect, sseResponse } from '../testing/sse.ts';
import type { ChatRequest } from '../types.ts';
import { createAnthropic } from './anthropic.ts';
import { createCohere } from './cohere.ts';
import { createGemini } from './gemini.ts';
import { createOffline } from './offline.ts';
import { createOpenAiPreset } from './presets.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const request: ChatRequest = {
  model: 'm',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello' },
  ],
  maxTokens: 50,
  temperature: 0.2,
  stop: ['END'],
};

/** Captures the body and headers of the one request a handler answers. */
function capture() {
  const seen: { body?: Record<string, unknown>; headers?: Headers; url?: string } = {};
  const record = async (req: Request) => {
    seen.body = (await req.json()) as Record<string, unknown>;
    seen.headers = req.headers;
    seen.url = req.url;
  };
  return { seen, record };
}

describe('OpenAI-compatible family', () => {
  it('sends a chat completion with bearer auth and reads text and usage', async () => {
    const { seen, record } = capture();
    server.use(
      http.post('https://api.openai.com/v1/chat/completions', async ({ request: req }) => {
        await record(req);
        return HttpResponse.json(openAiCompletion('Hello!'));
      }),
    );
    const openai = createOpenAiPreset('openai', { apiKey: 'sk-test' });
    const result = await openai.chat(request);
    expect(result).toMatchObject({
      text: 'Hello!',
      usage: { inputTokens: 19, outputTokens: 10 },
      finishReason: 'stop',
      provider: 'openai',
    });
    expect(seen.headers?.get('authorization')).toBe('Bearer sk-test');
    expect(seen.body).toMatchObject({
      model: 'm',
      max_tokens: 50,
      temperature: 0.2,
      stop: ['END'],
    });
    expect(seen.body?.messages).toEqual(request.messages);
    expect(seen.body).not.toHaveProperty('stream');
  });

  it('streams deltas, then the usage chunk with empty choices, and ends at [DONE]', async () => {
    const { seen, record } = capture();
    server.use(
      http.post('https://api.openai.com/v1/chat/completions', async ({ request: req }) => {
        await record(req);
        return sseResponse(openAiStream(['Hel', 'lo']));
      }),
    );
    const events = await collect(createOpenAiPreset('openai', { apiKey: 'k' }).stream(request));
    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 2 } },
      { type: 'done', finishReason: 'stop' },
    ]);
    expect(seen.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('reads Groq usage from x_groq.usage', async () => {
    server.use(
      http.post('https://api.groq.com/openai/v1/chat/completions', () =>
        sseResponse(groqStream(['Fast', ' answer'])),
      ),
    );
    const events = await collect(createOpenAiPreset('groq', { apiKey: 'gsk' }).stream(request));
    expect(events.filter((e) => e.type === 'delta').map((e) => e.text)).toEqual([
      'Fast',
      ' answer',
    ]);
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 40, outputTokens: 3 } });
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('reads OpenRouter cost, skipping its keep-alive comments', async () => {
    server.use(
      http.post('https://openrouter.ai/api/v1/chat/completions', () =>
        sseResponse(openRouterStream(['Routed'])),
      ),
    );
    const events = await collect(
      createOpenAiPreset('openrouter', { apiKey: 'or' }).stream(request),
    );
    expect(events).toEqual([
      { type: 'delta', text: 'Routed' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 5 }, costUsd: 0.0000231 },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('reports OpenRouter cost on a non-stream answer', async () => {
    server.use(
      http.post('https://openrouter.ai/api/v1/chat/completions', () => {
        const body = openAiCompletion('ok', 'openai/gpt-4o-mini');
        return HttpResponse.json({ ...body, usage: { ...body.usage, cost: 0.00042 } });
      }),
    );
    const result = await createOpenAiPreset('openrouter', { apiKey: 'or' }).chat(request);
    expect(result.costUsd).toBe(0.00042);
  });

  it('uses each preset base URL and a configured one', async () => {
    const urls: string[] = [];
    server.use(
      http.post('*/chat/completions', ({ request: req }) => {
        urls.push(req.url);
        return HttpResponse.json(openAiCompletion('x'));
      }),
    );
    for (const name of ['deepseek', 'mistral', 'together'] as const) {
      await createOpenAiPreset(name, { apiKey: 'k' }).chat(request);
    }
    await createOpenAiPreset('openai', {
      apiKey: 'k',
      baseUrl: 'http://llm.internal:8080/v1/',
    }).chat(request);
    expect(urls).toEqual([
      'https://api.deepseek.com/v1/chat/completions',
      'https://api.mistral.ai/v1/chat/completions',
      'https://api.together.xyz/v1/chat/completions',
      'http://llm.internal:8080/v1/chat/completions',
    ]);
  });

  it('treats a stream that ends without [DONE] as broken', async () => {
    server.use(
      http.post('https://api.openai.com/v1/chat/completions', () =>
        sseResponse(openAiStream(['a', 'b']).slice(0, 3)),
      ),
    );
    const events: unknown[] = [];
    const error = await (async () => {
      for await (const e of createOpenAiPreset('openai', { apiKey: 'k' }).stream(request))
        events.push(e);
    })().catch((e: unknown) => e);
    expect(events).toEqual([
      { type: 'delta', text: 'a' },
      { type: 'delta', text: 'b' },
    ]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('error classification', () => {
  const openai = () => createOpenAiPreset('openai', { apiKey: 'k' });
  const answer = (
    status: number,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    server.use(
      http.post('https://api.openai.com/v1/chat/completions', () =>
        HttpResponse.json(body, { status, headers }),
      ),
    );

  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'not_found', false],
    [400, 'bad_request', false],
    [408, 'timeout', true],
    [409, 'unknown', true],
    [429, 'rate_limited', true],
    [500, 'server', true],
    [503, 'server', true],
    [529, 'server', true],
  ] as const)('classifies %i as %s (retryable: %s)', async (status, kind, retryable) => {
    answer(status, openAiError('nope', 'error'));
    await expect(openai().chat(request)).rejects.toMatchObject({ kind, status, retryable });
  });

  it('parses Retry-After as seconds and as an HTTP date', async () => {
    answer(429, openAiError('slow down', 'rate_limit_error'), { 'retry-after': '7' });
    await expect(openai().chat(request)).rejects.toMatchObject({ retryAfterMs: 7000 });
    const date = new Date(Date.now() + 120_000).toUTCString();
    answer(429, openAiError('slow down', 'rate_limit_error'), { 'retry-after': date });
    const error = (await openai()
      .chat(request)
      .catch((e: unknown) => e)) as ProviderError;
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('does not retry an exhausted quota', async () => {
    answer(
      429,
      openAiError('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
    );
    await expect(openai().chat(request)).rejects.toMatchObject({
      kind: 'rate_limited',
      retryable: false,
    });
  });

  it('classifies a refused connection as a network failure', async () => {
    server.use(http.post('https://api.openai.com/v1/chat/completions', () => HttpResponse.error()));
    await expect(openai().chat(request)).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
    });
  });

  it("classifies Gemini's 400 API_KEY_INVALID as auth", async () => {
    server.use(
      http.post('https://generativelanguage.googleapis.com/v1beta/models/:call', () =>
        HttpResponse.json(
          {
            error: {
              code: 400,
              message: 'API key not valid. Please pass a valid API key.',
              status: 'INVALID_ARGUMENT',
              details: [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: 'API_KEY_INVALID',
                  domain: 'googleapis.com',
                },
              ],
            },
          },
          { status: 400 },
        ),
      ),
    );
    await expect(createGemini({ apiKey: 'bad' }).chat(request)).rejects.toMatchObject({
      kind: 'auth',
      status: 400,
    });
  });
});

describe('Anthropic Messages', () => {
  it('moves system text to the top level, requires max_tokens and reads usage', async () => {
    const { seen, record } = capture();
    server.use(
      http.post('https://api.anthropic.com/v1/messages', async ({ request: req }) => {
        await record(req);
        return HttpResponse.json(anthropicMessage('Hi there'));
      }),
    );
    const anthropic = createAnthropic({ apiKey: 'sk-ant' });
    const result = await anthropic.chat({ model: 'claude', messages: request.messages });
    expect(result).toMatchObject({
      text: 'Hi there',
      usage: { inputTokens: 12, outputTokens: 6 },
      finishReason: 'end_turn',
    });
    expect(seen.headers?.get('x-api-key')).toBe('sk-ant');
    expect(seen.headers?.get('anthropic-version')).toBe('2023-06-01');
    expect(seen.body).toEqual({
      model: 'claude',
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
  });

  it('streams text deltas with input tokens from message_start and output from message_delta', async () => {
    server.use(
      http.post('https://api.anthropic.com/v1/messages', () =>
        sseResponse(anthropicStream(['Hel', 'lo'])),
      ),
    );
    const events = await collect(createAnthropic({ apiKey: 'k' }).stream(request));
    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
      { type: 'done', finishReason: 'end_turn' },
    ]);
  });

  it('turns an error event into a classified failure', async () => {
    server.use(
      http.post('https://api.anthropic.com/v1/messages', () =>
        sseResponse([
          ...anthropicStream([], { end: false }),
          'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
        ]),
      ),
    );
    await expect(collect(createAnthropic({ apiKey: 'k' }).stream(request))).rejects.toMatchObject({
      kind: 'server',
      retryable: true,
    });
  });
});

describe('Google Gemini', () => {
  it('maps roles and system instruction and reads usageMetadata', async () => {
    const { seen, record } = capture();
    server.use(
      http.post(
        'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent',
        async ({ request: req }) => {
          await record(req);
          return HttpResponse.json(geminiResponse('Bonjour'));
        },
      ),
    );
    const result = await createGemini({ apiKey: 'AIza' }).chat({
      ...request,
      model: 'gemini-2.0-flash',
      messages: [
        ...request.messages,
        { role: 'assistant', content: 'Hi' },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(result).toMatchObject({
      text: 'Bonjour',
      usage: { inputTokens: 8, outputTokens: 7 },
      finishReason: 'STOP',
      model: 'gemini-2.0-flash',
    });
    expect(seen.headers?.get('x-goog-api-key')).toBe('AIza');
    expect(seen.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Say hello' }] },
        { role: 'model', parts: [{ text: 'Hi' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 50, temperature: 0.2, stopSequences: ['END'] },
    });
  });

  it('streams with alt=sse and finishes without a [DONE] line', async () => {
    let url = '';
    server.use(
      http.post(
        'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent',
        ({ request: req }) => {
          url = req.url;
          return sseResponse(geminiStream(['Hello', ' world']));
        },
      ),
    );
    const events = await collect(
      createGemini({ apiKey: 'k' }).stream({ ...request, model: 'gemini-2.0-flash' }),
    );
    expect(new URL(url).searchParams.get('alt')).toBe('sse');
    expect(events).toEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'delta', text: ' world' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 4 } },
      { type: 'done', finishReason: 'STOP' },
    ]);
  });
});

describe('Cohere Chat v2', () => {
  it('sends messages as they are and reads usage.tokens', async () => {
    const { seen, record } = capture();
    server.use(
      http.post('https://api.cohere.com/v2/chat', async ({ request: req }) => {
        await record(req);
        return HttpResponse.json(cohereResponse('Salut'));
      }),
    );
    const result = await createCohere({ apiKey: 'co' }).chat({ ...request, model: 'command-r' });
    expect(result).toMatchObject({
      text: 'Salut',
      usage: { inputTokens: 71, outputTokens: 9 },
      finishReason: 'COMPLETE',
    });
    expect(seen.headers?.get('authorization')).toBe('Bearer co');
    expect(seen.body).toMatchObject({
      model: 'command-r',
      messages: request.messages,
      max_tokens: 50,
    });
  });

  it('streams content-delta events and ends at message-end with usage', async () => {
    server.use(
      http.post('https://api.cohere.com/v2/chat', () => sseResponse(cohereStream(['Sa', 'lut']))),
    );
    const events = await collect(createCohere({ apiKey: 'co' }).stream(request));
    expect(events).toEqual([
      { type: 'delta', text: 'Sa' },
      { type: 'delta', text: 'lut' },
      { type: 'usage', usage: { inputTokens: 69, outputTokens: 2 } },
      { type: 'done', finishReason: 'COMPLETE' },
    ]);
  });
});

describe('offline', () => {
  it('answers deterministically about the last user message, with estimated tokens', async () => {
    const offline = createOffline();
    const question = 'How do I learn TypeScript generics?';
    const ask = {
      model: 'phoenix-offline-1',
      messages: [{ role: 'user' as const, content: question }],
    };
    const first = await offline.chat(ask);
    const second = await offline.chat(ask);
    expect(first).toEqual(second);
    expect(first.text).toContain('learn typescript generics');
    expect(first.usage).toEqual({
      inputTokens: Math.ceil(question.length / 4),
      outputTokens: Math.ceil(first.text.length / 4),
    });
  });

  it('streams the same answer in a few deltas', async () => {
    const offline = createOffline();
    const ask = { model: 'x', messages: [{ role: 'user' as const, content: 'Plan my week' }] };
    const events = await collect(offline.stream(ask));
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.text).join('')).toBe((await offline.chat(ask)).text);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  });
});
