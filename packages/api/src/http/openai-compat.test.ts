import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.ts';

let server: TestServer;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  server = await startTestServer();
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
afterAll(() => server.close());

const client = (apiKey: string) =>
  new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });

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
