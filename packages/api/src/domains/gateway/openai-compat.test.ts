import { openAiStream, sseResponse } from '@phoenix/gateway/testing';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.ts';
import { openAiTestEnv } from './openai-testing.ts';

const UPSTREAM = 'https://api.openai.com/v1/chat/completions';
const msw = setupServer();
// The client under test talks to the hub with the unpatched fetch: msw fakes only the
// providers behind the hub (its pass-through of our own stream never settles a cancel).
const networkFetch = globalThis.fetch;

let server: TestServer;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startTestServer({
    env: openAiTestEnv,
  });
  const { token } = await server.client().auth.register.mutate({
    email: `openai-${Date.now()}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'O',
  });
  const session = server.client(token);
  writeKey = (await session.auth.apiKeys.create.mutate({ name: 'openai sdk', scopes: ['write'] }))
    .secret;
  readKey = (await session.auth.apiKeys.create.mutate({ name: 'reader', scopes: ['read'] })).secret;
});
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await server.close();
});

const client = (apiKey: string) =>
  new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0, fetch: networkFetch });

describe('OpenAI-compatible endpoint, driven by the official openai package', () => {
  it('lists models (routes and provider/model pairs)', async () => {
    const models = await client(writeKey).models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain('chat.default');
    expect(ids).toContain('offline/phoenix-offline-1');
  });

  it('answers a chat completion with usage and the hub headers', async () => {
    const { data, response } = await client(writeKey)
      .chat.completions.create({
        model: 'chat.default',
        messages: [{ role: 'user', content: 'Give me one tip for a job interview.' }],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-phoenix-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-phoenix-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('streams as SSE chunks ending with usage', async () => {
    const stream = await client(writeKey).chat.completions.create({
      model: 'chat.default',
      messages: [{ role: 'user', content: 'Say hello.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(5);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('relays the upstream stream chunk by chunk as it arrives', async () => {
    msw.use(http.post(UPSTREAM, () => sseResponse(openAiStream(['Once', ' upon', ' a time']))));
    const stream = await client(writeKey).chat.completions.create({
      model: 'chat.upstream',
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces).toEqual(['Once', ' upon', ' a time']);
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
  });

  it('ends a stream that broke upstream with an error the client raises, never a clean end', async () => {
    msw.use(
      http.post(UPSTREAM, () =>
        sseResponse(openAiStream(['Once', ' upon', ' a time']).slice(0, 3), { breakAfter: true }),
      ),
    );
    const stream = await client(writeKey).chat.completions.create({
      model: 'chat.upstream',
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      stream: true,
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('Once upon');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('STREAM_INTERRUPTED');
  });

  it('aborts the provider call and bills what was used when the client hangs up', async () => {
    let upstreamAborted = false;
    msw.use(
      http.post(UPSTREAM, ({ request }) => {
        request.signal.addEventListener('abort', () => {
          upstreamAborted = true;
        });
        return sseResponse(openAiStream(['Once', ' upon']).slice(0, 2), { hang: true });
      }),
    );
    const stream = await client(writeKey).chat.completions.create({
      model: 'chat.upstream',
      messages: [{ role: 'user', content: 'Tell me a long story.' }],
      stream: true,
    });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
    await expect.poll(() => upstreamAborted).toBe(true);
    const row = () =>
      server.deps.db
        .selectFrom('gatewayRequests')
        .select(['status', 'outputTokens'])
        .where('route', '=', 'chat.upstream')
        .orderBy('createdAt', 'desc')
        .executeTakeFirstOrThrow();
    await expect.poll(async () => (await row()).status).toBe('aborted');
    expect((await row()).outputTokens).toBeGreaterThan(0);
  });

  it('refuses a missing key, a read-only key and bad input with OpenAI-style errors', async () => {
    await expect(client('phx_nope_nope').models.list()).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    await expect(
      client(readKey).chat.completions.create({
        model: 'chat.default',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    const bad = await client(writeKey)
      .chat.completions.create({ model: 'chat.default', messages: [] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });
});
