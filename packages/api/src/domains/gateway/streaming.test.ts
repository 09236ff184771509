import { estimateTokens } from '@phoenix/gateway';
import { anthropicStream, openAiError, openAiStream, sseResponse } from '@phoenix/gateway/testing';
import { type ChatStreamEvent, type ChatStreamInput, streamChat } from '@phoenix/sdk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectPhoenixError, startTestServer, type TestServer } from '../../testing/index.ts';
import { ANTHROPIC_URL, GATEWAY_TEST_ENV, gatewayUser, OPENAI_URL } from './test-fixture.ts';

const OPENAI = OPENAI_URL;
const ANTHROPIC = ANTHROPIC_URL;

const msw = setupServer();
let server: TestServer;

const user = (options?: { credits?: number }) => gatewayUser(server, options);

const ask = (extra: Partial<ChatStreamInput> = {}): ChatStreamInput => ({
  route: 'chat.test',
  messages: [{ role: 'user', content: 'Tell me a story' }],
  maxTokens: 50,
  ...extra,
});

async function collect(events: AsyncIterable<ChatStreamEvent>) {
  const out: ChatStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
const textOf = (events: readonly ChatStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');

async function requestRow(userId: string) {
  return server.deps.db
    .selectFrom('gatewayRequests')
    .selectAll()
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startTestServer({
    env: { ...GATEWAY_TEST_ENV, HEADER_LIMIT_BYTES: String(48 * 1024) },
  });
});
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await server.close();
});

describe('gateway.chatStream', () => {
  it('streams start, the tokens and an end that bills the usage the provider reported', async () => {
    msw.use(http.post(OPENAI, () => sseResponse(openAiStream(['Once', ' upon', ' a time']))));
    const { id, client } = await user();
    const events = await collect(streamChat(client, ask()));
    expect(events[0]).toMatchObject({ type: 'start', provider: 'openai', model: 'gpt-4o-mini' });
    expect(textOf(events)).toBe('Once upon a time');
    // openAiStream reports 2 completion tokens in its trailing usage chunk.
    expect(events.at(-1)).toEqual({
      type: 'end',
      finishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 2 },
      usageEstimated: false,
      creditsCharged: 2,
      providerLatencyMs: expect.any(Number),
    });
    expect((await client.gateway.credits.balance.query()).balance).toBe(998);
    expect(await requestRow(id)).toMatchObject({ status: 'ok', creditsCharged: 2 });
  });

  it('falls back when the first provider fails before its first token, billing only the fallback', async () => {
    let openAiCalls = 0;
    msw.use(
      http.post(OPENAI, () => {
        openAiCalls++;
        return HttpResponse.json(openAiError('overloaded', 'server_error'), { status: 503 });
      }),
      http.post(ANTHROPIC, () => sseResponse(anthropicStream(['Bonjour', ' !']))),
    );
    const { id, client } = await user();
    const events = await collect(streamChat(client, ask()));
    expect(openAiCalls).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ type: 'start', provider: 'anthropic' });
    expect(textOf(events)).toBe('Bonjour !');
    // Anthropic's message_delta reports 15 output tokens, at 2 credits each.
    expect(events.at(-1)).toMatchObject({ type: 'end', creditsCharged: 30 });
    expect((await client.gateway.credits.balance.query()).balance).toBe(970);
    const row = await requestRow(id);
    expect(row.provider).toBe('anthropic');
    expect((row.attempts as { provider: string; status: string }[]).map((a) => a.status)).toContain(
      'error',
    );
  });

  it('ends a stream cut midway with STREAM_INTERRUPTED and bills only what was delivered', async () => {
    msw.use(
      http.post(OPENAI, () =>
        // Role chunk, "Once", " upon", then the connection resets: no usage ever arrives.
        sseResponse(openAiStream(['Once', ' upon', ' a time']).slice(0, 3), { breakAfter: true }),
      ),
    );
    const { id, client } = await user();
    const seen: ChatStreamEvent[] = [];
    const details = await expectPhoenixError(
      (async () => {
        for await (const event of streamChat(client, ask())) seen.push(event);
      })(),
      { code: 'SERVICE_UNAVAILABLE', reason: 'STREAM_INTERRUPTED' },
    );
    expect(textOf(seen)).toBe('Once upon');
    expect(seen.some((e) => e.type === 'end')).toBe(false);
    const delivered = estimateTokens('Once upon');
    expect(delivered).toBeGreaterThan(0);
    expect(details.message).toContain(`${delivered} credits were billed`);
    const row = await requestRow(id);
    expect(row).toMatchObject({
      status: 'interrupted',
      outputTokens: delivered,
      creditsCharged: delivered,
      // The reservation covers the dearest target: 50 tokens at Anthropic's 2 credits.
      creditsReserved: 100,
    });
    expect((await client.gateway.credits.balance.query()).balance).toBe(1000 - delivered);
  });

  it('aborts the upstream request when the client hangs up, and bills what was used', async () => {
    let cancelled = false;
    msw.use(
      http.post(OPENAI, ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        return sseResponse(openAiStream(['Once', ' upon']).slice(0, 2), { hang: true });
      }),
    );
    const { id, client } = await user();
    for await (const event of streamChat(client, ask())) {
      if (event.type === 'delta') break;
    }
    await vi.waitFor(async () => expect((await requestRow(id)).status).toBe('aborted'), {
      timeout: 5_000,
    });
    await expect.poll(() => cancelled).toBe(true);
    const row = await requestRow(id);
    expect(row.creditsCharged).toBe(estimateTokens('Once'));
    expect((await client.gateway.credits.balance.query()).balance).toBe(
      1000 - estimateTokens('Once'),
    );
  });

  it('costs nothing when every provider fails before a token', async () => {
    msw.use(
      http.post(OPENAI, () =>
        HttpResponse.json(openAiError('down', 'server_error'), { status: 500 }),
      ),
      http.post(ANTHROPIC, () =>
        HttpResponse.json(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          { status: 529 },
        ),
      ),
    );
    const { id, client } = await user();
    await expectPhoenixError(collect(streamChat(client, ask())), {
      code: 'SERVICE_UNAVAILABLE',
      reason: 'ALL_PROVIDERS_FAILED',
    });
    expect((await client.gateway.credits.balance.query()).balance).toBe(1000);
    expect(await requestRow(id)).toMatchObject({ status: 'failed', creditsCharged: 0 });
  });

  it('replays a finished stream for its idempotency key without a second charge', async () => {
    let calls = 0;
    msw.use(
      http.post(OPENAI, () => {
        calls++;
        return sseResponse(openAiStream(['Once', ' upon']));
      }),
    );
    const { client } = await user();
    const input = ask({ idempotencyKey: 'stream-replay-0001' });
    const first = await collect(streamChat(client, input));
    const again = await collect(streamChat(client, input));
    expect(calls).toBe(1);
    expect(textOf(again)).toBe(textOf(first));
    expect(again[0]).toMatchObject({ type: 'start', replayed: true });
    expect((await client.gateway.credits.balance.query()).balance).toBe(998);
  });

  it('refuses a reconnect of a stream that ended early: it was billed, so it is a new request', async () => {
    msw.use(
      http.post(OPENAI, () =>
        sseResponse(openAiStream(['Once', ' upon']).slice(0, 2), { breakAfter: true }),
      ),
    );
    const { client } = await user();
    const input = ask({ idempotencyKey: 'stream-broken-0001' });
    await expectPhoenixError(collect(streamChat(client, input)), {
      code: 'SERVICE_UNAVAILABLE',
      reason: 'STREAM_INTERRUPTED',
    });
    await expectPhoenixError(collect(streamChat(client, input)), {
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_USED',
    });
  });

  it('refuses before any provider is contacted when the balance cannot cover the reservation', async () => {
    let calls = 0;
    msw.use(
      http.post(OPENAI, () => {
        calls++;
        return sseResponse(openAiStream(['x']));
      }),
    );
    const { client } = await user({ credits: 10 });
    await expectPhoenixError(collect(streamChat(client, ask({ maxTokens: 50 }))), {
      code: 'PAYMENT_REQUIRED',
    });
    expect(calls).toBe(0);
  });

  it('names the field of bad input, and requires an idempotency key on the raw subscription', async () => {
    const { client } = await user();
    await expectPhoenixError(collect(streamChat(client, ask({ maxTokens: 0 }))), {
      code: 'BAD_REQUEST',
      field: 'maxTokens',
    });
    const withoutKey = new Promise<void>((_resolve, reject) => {
      const input = ask() as Parameters<typeof client.gateway.chatStream.subscribe>[0];
      const sub = client.gateway.chatStream.subscribe(input, {
        onData: () => reject(new Error('streamed without an idempotency key')),
        onError: (error) => {
          sub.unsubscribe();
          reject(error);
        },
      });
    });
    await expectPhoenixError(withoutKey, { code: 'BAD_REQUEST', field: 'idempotencyKey' });
  });

  it('streams a long conversation in the URL, and explains one longer than the hub accepts', async () => {
    msw.use(http.post(OPENAI, () => sseResponse(openAiStream(['Noted.']))));
    const { client } = await user();
    const long = ask({ messages: [{ role: 'user', content: 'x'.repeat(40_000) }] });
    expect(textOf(await collect(streamChat(client, long)))).toBe('Noted.');
    const tooLong = ask({ messages: [{ role: 'user', content: 'x'.repeat(60_000) }] });
    const error = await collect(streamChat(client, tooLong)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/too long to stream.*HTTP 431.*gateway\.chat/);
  });

  it('refuses anonymous callers and read-only API keys', async () => {
    await expectPhoenixError(collect(streamChat(server.client(), ask())), {
      code: 'UNAUTHORIZED',
    });
    const { client } = await user();
    const { secret } = await client.auth.apiKeys.create.mutate({ name: 'r', scopes: ['read'] });
    await expectPhoenixError(collect(streamChat(server.client(secret), ask())), {
      code: 'FORBIDDEN',
      reason: 'API_KEY_SCOPE',
    });
  });
});
