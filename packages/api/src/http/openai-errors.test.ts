import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiTestEnv } from '../domains/gateway/openai-testing.ts';
import { startTestServer, type TestServer } from '../testing/index.ts';

let server: TestServer;
let openai: OpenAI;
let key: string;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      ...openAiTestEnv,
      GATEWAY_FREE_REQUESTS_PER_MINUTE: '3',
    },
  });
  const { token } = await server.client().auth.register.mutate({
    email: `openai-errors-${Date.now()}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'E',
  });
  key = (await server.client(token).auth.apiKeys.create.mutate({ name: 'sdk', scopes: ['write'] }))
    .secret;
  openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());

type ApiError = InstanceType<typeof OpenAI.APIError>;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as ApiError,
  );
const chat = (content: unknown, model = 'chat.default') =>
  failure(
    openai.chat.completions.create({
      model,
      messages: [{ role: 'user', content } as OpenAI.ChatCompletionMessageParam],
    }),
  );
const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/v1${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });

/** The object every /v1 error carries, exactly as OpenAI sends it. */
const openAiShape = {
  error: {
    message: expect.any(String),
    type: expect.any(String),
    param: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
    code: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
  },
};

describe('OpenAI-compatible errors, as the official client raises them', () => {
  it('refuses empty, oversize and unstorable content with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      ['', 'messages[0].content'],
      [[], 'messages[0].content'],
      ['x'.repeat(100_001), 'messages[0].content'],
      ['nul \u0000 here', 'messages[0].content'],
      ['lone \ud800 surrogate', 'messages[0].content'],
      ['lone \udc00 low', 'messages[0].content'],
      [[{ type: 'text', text: 'a\u0000b' }], 'messages[0].content[0].text'],
      [
        [
          { type: 'text', text: 'x'.repeat(60_000) },
          { type: 'text', text: 'x'.repeat(60_000) },
        ],
        'messages[0].content',
      ],
    ];
    for (const [content, param] of cases) {
      const error = await chat(content);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
      expect(error.message).toContain(param);
    }
    // An emoji is a well-formed surrogate pair, and is accepted.
    const ok = await openai.chat.completions.create({
      model: 'chat.default',
      messages: [{ role: 'user', content: 'Hello 👋' }],
    });
    expect(ok.object).toBe('chat.completion');
  });

  it('answers a body over the limit with 413 in OpenAI shape, never a 500', async () => {
    const huge = Array.from({ length: 11 }, () => ({
      role: 'user' as const,
      content: 'x'.repeat(99_000),
    }));
    const error = await failure(
      openai.chat.completions.create({ model: 'chat.default', messages: huge }),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(413);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON, unknown paths and wrong methods in OpenAI shape', async () => {
    const malformed = await raw('/chat/completions', { method: 'POST', body: '{"model": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'MALFORMED_JSON',
      },
    });

    const unknown = await failure(openai.get('/embeddings-nope'));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.type).toBe('invalid_request_error');

    const method = await raw('/chat/completions', { method: 'GET' });
    expect(method.status).toBe(405);
    expect(await method.json()).toMatchObject(openAiShape);
    const deleted = await failure(openai.delete('/models'));
    expect(deleted.status).toBe(405);

    const anonymous = await fetch(`${server.url}/v1/models`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'INVALID_API_KEY' },
    });
  });

  it('maps out-of-credits to insufficient_quota and a rate limit to RateLimitError with retry-after', async () => {
    const broke = await failure(
      openai.chat.completions.create({
        model: 'chat.upstream',
        max_tokens: 32_000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(broke).toBeInstanceOf(OpenAI.RateLimitError);
    expect(broke.type).toBe('insufficient_quota');
    expect(broke.headers?.get('x-should-retry')).toBe('false');

    let limited: ApiError | null = null;
    for (let i = 0; i < 5 && !limited; i++) {
      limited = await openai.chat.completions
        .create({ model: 'chat.default', messages: [{ role: 'user', content: 'hi' }] })
        .then(
          () => null,
          (error: unknown) => error as ApiError,
        );
    }
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited?.type).toBe('rate_limit_error');
    expect(Number(limited?.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.error).toMatchObject(openAiShape.error);
  });
});
