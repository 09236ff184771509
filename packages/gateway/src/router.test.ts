import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@phoenix/errors';
import { delay, HttpResponse, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error.ts';
import {
  anthropicMessage,
  geminiResponse,
  openAiCompletion,
  openAiError,
} from './testing/payloads.ts';
import { KEYS, testRouter } from './testing/router.ts';

const server = setupServer();
const hits: string[] = [];
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  server.events.on('request:start', ({ request }) => hits.push(new URL(request.url).hostname));
});
afterEach(() => {
  server.resetHandlers();
  hits.length = 0;
});
afterAll(() => server.close());

const OPENAI = 'https://api.openai.com/v1/chat/completions';
const ANTHROPIC = 'https://api.anthropic.com/v1/messages';
const GEMINI = 'https://generativelanguage.googleapis.com/v1beta/models/:call';
const ask = { messages: [{ role: 'user' as const, content: 'Hello' }] };
const OPENAI_T = { provider: 'openai', model: 'gpt-4o-mini' };
const ANTHROPIC_T = { provider: 'anthropic', model: 'claude-3-5-haiku-latest' };
const routes = { main: [OPENAI_T, ANTHROPIC_T] };

const caught = <T>(promise: Promise<T>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('gateway router: chat', () => {
  it('falls back to the next target after the primary keeps failing with 500', async () => {
    let openaiCalls = 0;
    server.use(
      http.post(OPENAI, () => {
        openaiCalls++;
        return HttpResponse.json(openAiError('boom', 'server_error'), { status: 500 });
      }),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('from claude'))),
    );
    const { router, sleeps } = testRouter(routes, { options: { maxRetries: 2 } });
    const { result, attempts } = await router.chat('main', ask);
    expect(result).toMatchObject({ text: 'from claude', provider: 'anthropic' });
    expect(openaiCalls).toBe(3);
    // Full jitter: half (random = 0.5) of the exponential cap 10, 20.
    expect(sleeps).toEqual([5, 10]);
    expect(attempts.map((a) => [a.provider, a.status, a.errorKind])).toEqual([
      ['openai', 'error', 'server'],
      ['openai', 'error', 'server'],
      ['openai', 'error', 'server'],
      ['anthropic', 'ok', undefined],
    ]);
    expect(attempts.at(-1)?.usage).toEqual({ inputTokens: 12, outputTokens: 6 });
  });

  it('retries after a 500 and succeeds on the same target', async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI, () =>
        ++calls === 1
          ? HttpResponse.json(openAiError('boom', 'server_error'), { status: 502 })
          : HttpResponse.json(openAiCompletion('second time')),
      ),
    );
    const { router } = testRouter(routes);
    const { result, attempts } = await router.chat('main', ask);
    expect(result.text).toBe('second time');
    expect(attempts.map((a) => a.status)).toEqual(['error', 'ok']);
  });

  it('honours Retry-After when it fits the deadline', async () => {
    let calls = 0;
    server.use(
      http.post(OPENAI, () =>
        ++calls === 1
          ? HttpResponse.json(openAiError('slow down', 'rate_limit_error'), {
              status: 429,
              headers: { 'retry-after': '2' },
            })
          : HttpResponse.json(openAiCompletion('after the wait')),
      ),
    );
    const { router, sleeps } = testRouter(routes);
    const { result, attempts } = await router.chat('main', ask);
    expect(result.text).toBe('after the wait');
    expect(sleeps).toEqual([2000]);
    expect(attempts[0]).toMatchObject({
      status: 'error',
      errorKind: 'rate_limited',
      httpStatus: 429,
    });
  });

  it('moves on when Retry-After does not fit the remaining deadline', async () => {
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(openAiError('slow down', 'rate_limit_error'), {
          status: 429,
          headers: { 'retry-after': '30' },
        }),
      ),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('no wait'))),
    );
    const { router, sleeps } = testRouter(routes, { options: { maxRetryAfterMs: 60_000 } });
    const { result } = await router.chat('main', ask, { deadlineMs: 10_000 });
    expect(result.text).toBe('no wait');
    expect(sleeps).toEqual([]);
  });

  it('gives up on a target that times out and moves on', async () => {
    let openaiCalls = 0;
    server.use(
      http.post(OPENAI, async () => {
        openaiCalls++;
        await delay('infinite');
        return HttpResponse.json({});
      }),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('in time'))),
    );
    const { router } = testRouter(routes, { options: { maxRetries: 1, attemptTimeoutMs: 50 } });
    const { result, attempts } = await router.chat('main', ask);
    expect(result.text).toBe('in time');
    expect(openaiCalls).toBe(2);
    expect(attempts.slice(0, 2).map((a) => a.errorKind)).toEqual(['timeout', 'timeout']);
  });

  it('skips a target with a bad key (401) at once, without retrying', async () => {
    let openaiCalls = 0;
    server.use(
      http.post(OPENAI, () => {
        openaiCalls++;
        return HttpResponse.json(
          openAiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
          {
            status: 401,
          },
        );
      }),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('claude'))),
    );
    const { router, sleeps } = testRouter(routes);
    const { result, attempts } = await router.chat('main', ask);
    expect(result.provider).toBe('anthropic');
    expect(openaiCalls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(attempts[0]).toMatchObject({ errorKind: 'auth', httpStatus: 401 });
  });

  it('moves on from a 404 (unknown model) without retrying', async () => {
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(
          openAiError('The model does not exist', 'invalid_request_error', 'model_not_found'),
          {
            status: 404,
          },
        ),
      ),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('claude'))),
    );
    const { router } = testRouter(routes);
    const { attempts } = await router.chat('main', ask);
    expect(attempts.map((a) => a.errorKind ?? a.status)).toEqual(['not_found', 'ok']);
  });

  it('surfaces a 400 as a caller error without trying other targets', async () => {
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(
          openAiError(
            "This model's maximum context length is 128000 tokens",
            'invalid_request_error',
            'context_length_exceeded',
          ),
          { status: 400 },
        ),
      ),
      http.post(ANTHROPIC, () => HttpResponse.json(anthropicMessage('never'))),
    );
    const { router } = testRouter(routes);
    const error = await caught(router.chat('main', ask));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'invalid', reason: 'PROVIDER_REJECTED_REQUEST' });
    expect(hits).toEqual(['api.openai.com']);
  });

  it('throws ALL_PROVIDERS_FAILED with every attempt when all are down', async () => {
    server.use(
      http.post(OPENAI, () => HttpResponse.error()),
      http.post(ANTHROPIC, () =>
        HttpResponse.json(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          { status: 529 },
        ),
      ),
      http.post(GEMINI, () =>
        HttpResponse.json(
          { error: { code: 503, message: 'unavailable', status: 'UNAVAILABLE' } },
          { status: 503 },
        ),
      ),
    );
    const { router } = testRouter(
      { all: [...routes.main, { provider: 'gemini', model: 'gemini-2.0-flash' }] },
      { options: { maxRetries: 0 } },
    );
    const error = await caught(router.chat('all', ask));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'ALL_PROVIDERS_FAILED' });
    expect((error as GatewayError).attempts.map((a) => [a.provider, a.errorKind])).toEqual([
      ['openai', 'network'],
      ['anthropic', 'server'],
      ['gemini', 'server'],
    ]);
  });

  it('skips a provider without a key and never calls it', async () => {
    server.use(
      http.post(OPENAI, () => HttpResponse.json(openAiCompletion('never'))),
      http.post(GEMINI, () => HttpResponse.json(geminiResponse('gemini answers'))),
    );
    const { router, registry } = testRouter(
      {
        main: [
          { provider: 'openai', model: 'gpt-4o-mini' },
          { provider: 'gemini', model: 'gemini-2.0-flash' },
        ],
      },
      { providers: { gemini: { apiKey: 'AIza' } } },
    );
    expect(registry.get('openai')).toBeUndefined();
    const { result, attempts } = await router.chat('main', ask);
    expect(result.text).toBe('gemini answers');
    expect(attempts[0]).toMatchObject({
      provider: 'openai',
      status: 'skipped',
      reason: 'no API key configured for openai',
    });
    expect(hits).toEqual(['generativelanguage.googleapis.com']);
  });

  it('answers offline on the default route with no keys at all', async () => {
    const { router } = testRouter({}, { providers: {} });
    const { result, attempts } = await router.chat('chat.default', ask);
    expect(result.provider).toBe('offline');
    expect(attempts.filter((a) => a.status === 'skipped').length).toBe(attempts.length - 1);
    expect(hits).toEqual([]);
  });

  it('throws the deadline error when the budget runs out', async () => {
    server.use(
      http.post(OPENAI, () => HttpResponse.json(openAiError('x', 'server_error'), { status: 500 })),
    );
    const { router } = testRouter(
      { only: [OPENAI_T] },
      { options: { maxRetries: 100, backoffMaxMs: 1000 } },
    );
    const error = await caught(router.chat('only', ask, { deadlineMs: 2_000 }));
    expect(error).toMatchObject({ kind: 'unavailable' });
  });

  it('cancels the upstream request when the caller aborts', async () => {
    // A real local server, so the cancellation is seen where it matters: the connection
    // closes. (msw's node:http interception does not relay a destroyed request to a handler.)
    let upstreamAborted = false;
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    const upstream = createServer((req) => {
      req.on('close', () => {
        upstreamAborted = true;
      });
      started();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    server.use(http.post(`${baseUrl}/chat/completions`, () => passthrough()));
    try {
      const { router } = testRouter(routes, {
        options: { attemptTimeoutMs: 10_000 },
        providers: { ...KEYS, openai: { apiKey: 'sk-openai', baseUrl } },
      });
      const controller = new AbortController();
      const pending = caught(router.chat('main', ask, { signal: controller.signal }));
      await inFlight;
      controller.abort(new Error('client went away'));
      expect(await pending).toMatchObject({ message: 'client went away' });
      await expect.poll(() => upstreamAborted).toBe(true);
      expect(hits).toEqual(['127.0.0.1']);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
