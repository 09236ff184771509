import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStreamEvent } from './router-stream.ts';
import { anthropicStream, openAiError, openAiStream } from './testing/payloads.ts';
import { testRouter } from './testing/router.ts';
import { collect, sseResponse } from './testing/sse.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OPENAI = 'https://api.openai.com/v1/chat/completions';
const ANTHROPIC = 'https://api.anthropic.com/v1/messages';
const PROMPT = 'Tell me a story';
const ask = { messages: [{ role: 'user' as const, content: PROMPT }] };
const OPENAI_T = { provider: 'openai', model: 'gpt-4o-mini' };
const ANTHROPIC_T = { provider: 'anthropic', model: 'claude-3-5-haiku-latest' };
const routes = { main: [OPENAI_T, ANTHROPIC_T] };
const text = (events: GatewayStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');

describe('gateway router: stream', () => {
  it('relays a stream with its usage and settles a completed outcome', async () => {
    server.use(http.post(OPENAI, () => sseResponse(openAiStream(['Once', ' upon']))));
    const { router } = testRouter(routes);
    const stream = await router.stream('main', ask);
    const events = await collect(stream.events);
    expect(stream.provider).toBe('openai');
    expect(text(events)).toBe('Once upon');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    const outcome = await stream.outcome;
    expect(outcome).toMatchObject({
      status: 'completed',
      usage: { inputTokens: 9, outputTokens: 2 },
      usageEstimated: false,
    });
    expect(stream.attempts.at(-1)).toMatchObject({
      status: 'ok',
      usage: { inputTokens: 9, outputTokens: 2 },
    });
  });

  it('falls back when a stream fails before its first token', async () => {
    server.use(
      http.post(OPENAI, () =>
        sseResponse(openAiStream(['never']).slice(0, 1), { breakAfter: true }),
      ),
      http.post(ANTHROPIC, () => sseResponse(anthropicStream(['From', ' Claude']))),
    );
    const { router } = testRouter(routes, { options: { maxRetries: 0 } });
    const stream = await router.stream('main', ask);
    const events = await collect(stream.events);
    expect(stream.provider).toBe('anthropic');
    expect(text(events)).toBe('From Claude');
    expect(stream.attempts.map((a) => [a.provider, a.status])).toEqual([
      ['openai', 'error'],
      ['anthropic', 'ok'],
    ]);
  });

  it('falls back when a stream is refused with 503', async () => {
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(openAiError('busy', 'server_error'), { status: 503 }),
      ),
      http.post(ANTHROPIC, () => sseResponse(anthropicStream(['ok']))),
    );
    const { router } = testRouter(routes, { options: { maxRetries: 0 } });
    const stream = await router.stream('main', ask);
    expect(text(await collect(stream.events))).toBe('ok');
  });

  it('ends a stream cut after some tokens with an error event and reports the delivered text', async () => {
    let fallbackCalled = false;
    server.use(
      http.post(OPENAI, () =>
        sseResponse(openAiStream(['Once', ' upon', ' a time']).slice(0, 3), { breakAfter: true }),
      ),
      http.post(ANTHROPIC, () => {
        fallbackCalled = true;
        return sseResponse(anthropicStream(['no']));
      }),
    );
    const { router } = testRouter(routes);
    const stream = await router.stream('main', ask);
    const events = await collect(stream.events);
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: 'error',
      kind: 'network',
      deliveredText: 'Once upon',
      estimatedUsage: { outputTokens: Math.ceil('Once upon'.length / 4) },
    });
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(fallbackCalled).toBe(false);
    const outcome = await stream.outcome;
    expect(outcome).toMatchObject({ status: 'failed', text: 'Once upon', usageEstimated: true });
    expect(stream.attempts.at(-1)).toMatchObject({ status: 'error', errorKind: 'network' });
  });

  it('treats a clean close without the end marker as a break, not an end', async () => {
    server.use(http.post(ANTHROPIC, () => sseResponse(anthropicStream(['Half'], { end: false }))));
    const { router } = testRouter({ a: [ANTHROPIC_T] });
    const stream = await router.stream('a', ask);
    const events = await collect(stream.events);
    expect(events.at(-1)).toMatchObject({ type: 'error', deliveredText: 'Half' });
  });

  it('times out a stream that stalls mid-way', async () => {
    server.use(
      http.post(OPENAI, () => sseResponse(openAiStream(['tick']).slice(0, 2), { hang: true })),
    );
    const { router } = testRouter({ o: [OPENAI_T] }, { options: { streamIdleTimeoutMs: 50 } });
    const stream = await router.stream('o', ask);
    const events = await collect(stream.events);
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'timeout', deliveredText: 'tick' });
  });

  it('estimates usage when a provider never reports it', async () => {
    const frames = openAiStream(['abcdefgh']).filter((f) => !f.includes('"usage":{'));
    server.use(http.post(OPENAI, () => sseResponse(frames)));
    const { router } = testRouter({ o: [OPENAI_T] });
    const stream = await router.stream('o', ask);
    const events = await collect(stream.events);
    expect(events).toContainEqual({
      type: 'usage',
      usage: { inputTokens: Math.ceil(PROMPT.length / 4), outputTokens: 2 },
      estimated: true,
    });
    expect((await stream.outcome).usageEstimated).toBe(true);
  });

  it('aborting the caller signal cancels the upstream stream', async () => {
    let cancelled = false;
    server.use(
      http.post(OPENAI, ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        return sseResponse(openAiStream(['first']).slice(0, 2), { hang: true });
      }),
    );
    const { router } = testRouter({ o: [OPENAI_T] }, { options: { streamIdleTimeoutMs: 10_000 } });
    const controller = new AbortController();
    const stream = await router.stream('o', ask, { signal: controller.signal });
    const seen: GatewayStreamEvent[] = [];
    for await (const event of stream.events) {
      seen.push(event);
      if (event.type === 'delta') controller.abort();
    }
    expect(seen.at(-1)).toMatchObject({ type: 'error', kind: 'aborted', deliveredText: 'first' });
    expect((await stream.outcome).status).toBe('aborted');
    await expect.poll(() => cancelled).toBe(true);
  });

  it('leaving the loop early stops the upstream download', async () => {
    let cancelled = false;
    server.use(
      http.post(OPENAI, ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        return sseResponse(openAiStream(['a', 'b', 'c']).slice(0, 2), { hang: true });
      }),
    );
    const { router } = testRouter({ o: [OPENAI_T] }, { options: { streamIdleTimeoutMs: 10_000 } });
    const stream = await router.stream('o', ask);
    for await (const event of stream.events) if (event.type === 'delta') break;
    expect((await stream.outcome).status).toBe('aborted');
    await expect.poll(() => cancelled).toBe(true);
  });
});
