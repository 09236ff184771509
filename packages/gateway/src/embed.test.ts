import { MemoryKv } from '@phoenix/kv';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashingEmbedding } from './embed.ts';
import { createCohere } from './providers/cohere.ts';
import { createGemini } from './providers/gemini.ts';
import { createOffline } from './providers/offline.ts';
import { createOpenAiPreset } from './providers/presets.ts';
import { createProviderRegistry } from './registry.ts';
import { createGatewayRouter } from './router.ts';
import {
  cohereEmbeddings,
  geminiEmbeddings,
  openAiEmbeddings,
  openAiError,
} from './testing/payloads.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

describe('embed adapters, with each family’s request and response shapes', () => {
  it('OpenAI: POST /embeddings, vectors by index, prompt tokens', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('https://api.openai.com/v1/embeddings', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        expect(request.headers.get('authorization')).toBe('Bearer sk');
        const answer = openAiEmbeddings([
          [0, 1],
          [1, 0],
        ]);
        answer.data.reverse(); // out of order on the wire: `index` decides
        return HttpResponse.json(answer);
      }),
    );
    const openai = createOpenAiPreset('openai', { apiKey: 'sk' });
    const result = await openai.embed?.({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(body).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(result).toMatchObject({
      vectors: [
        [0, 1],
        [1, 0],
      ],
      usage: { inputTokens: 8 },
      provider: 'openai',
    });
  });

  it('Mistral: the same dialect on its own base URL', async () => {
    server.use(
      http.post('https://api.mistral.ai/v1/embeddings', () =>
        HttpResponse.json(openAiEmbeddings([[0.5, 0.5]], 'mistral-embed')),
      ),
    );
    const mistral = createOpenAiPreset('mistral', { apiKey: 'm' });
    const result = await mistral.embed?.({ model: 'mistral-embed', input: ['x'] });
    expect(result).toMatchObject({ vectors: [[0.5, 0.5]], model: 'mistral-embed' });
  });

  it('Cohere: /v2/embed with input_type and float embeddings, billed units', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('https://api.cohere.com/v2/embed', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(cohereEmbeddings([[1, 2, 3]], ['q']));
      }),
    );
    const cohere = createCohere({ apiKey: 'co' });
    const result = await cohere.embed?.({ model: 'embed-v4.0', input: ['q'], purpose: 'query' });
    expect(body).toEqual({
      model: 'embed-v4.0',
      texts: ['q'],
      input_type: 'search_query',
      embedding_types: ['float'],
    });
    expect(result).toMatchObject({ vectors: [[1, 2, 3]], usage: { inputTokens: 12 } });
  });

  it('Gemini: batchEmbedContents, one request per text, tokens counted by us', async () => {
    let body: { requests?: unknown[] } = {};
    server.use(
      http.post(
        'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
        async ({ request }) => {
          body = (await request.json()) as typeof body;
          expect(request.headers.get('x-goog-api-key')).toBe('AIza');
          return HttpResponse.json(
            geminiEmbeddings([
              [1, 0],
              [0, 1],
            ]),
          );
        },
      ),
    );
    const gemini = createGemini({ apiKey: 'AIza' });
    const result = await gemini.embed?.({ model: 'gemini-embedding-001', input: ['abcd', 'efgh'] });
    expect(body.requests?.[0]).toEqual({
      model: 'models/gemini-embedding-001',
      content: { parts: [{ text: 'abcd' }] },
      taskType: 'RETRIEVAL_DOCUMENT',
    });
    expect(result).toMatchObject({
      vectors: [
        [1, 0],
        [0, 1],
      ],
      usage: { inputTokens: 2 },
    });
  });

  it('refuses an answer with the wrong number of vectors as a provider failure', async () => {
    server.use(
      http.post('https://api.openai.com/v1/embeddings', () =>
        HttpResponse.json(openAiEmbeddings([[1, 0]])),
      ),
    );
    const openai = createOpenAiPreset('openai', { apiKey: 'sk' });
    await expect(openai.embed?.({ model: 'm', input: ['a', 'b'] })).rejects.toMatchObject({
      kind: 'server',
    });
  });
});

describe('the offline hashing embedding', () => {
  it('is deterministic, unit length, and ranks shared words higher', async () => {
    const offline = createOffline();
    const result = await offline.embed?.({
      model: 'phoenix-hash-embed-1',
      input: ['price too high'],
    });
    expect(result?.vectors[0]).toEqual(hashingEmbedding('price too high'));
    const v = hashingEmbedding('the price is too high');
    expect(cosine(v, v)).toBeCloseTo(1, 10);
    const near = cosine(v, hashingEmbedding('your price seems too high for us'));
    const far = cosine(v, hashingEmbedding('schedule a pilot next tuesday'));
    expect(near).toBeGreaterThan(far);
  });
});

describe('router.embed', () => {
  it('falls back past a failing provider and a family without embeddings', async () => {
    server.use(
      http.post('https://api.openai.com/v1/embeddings', () =>
        HttpResponse.json(openAiError('down', 'server_error'), { status: 503 }),
      ),
    );
    const registry = createProviderRegistry({
      providers: { openai: { apiKey: 'sk' }, anthropic: { apiKey: 'ant' } },
      routes: {
        'embed.test': [
          { provider: 'openai', model: 'text-embedding-3-small' },
          { provider: 'anthropic', model: 'claude' },
          { provider: 'offline', model: 'phoenix-hash-embed-1' },
        ],
      },
    });
    const router = createGatewayRouter({
      registry,
      kv: new MemoryKv(),
      options: { maxRetries: 0, sleep: async () => undefined },
    });
    const { result, attempts } = await router.embed('embed.test', { input: ['hello'] });
    expect(result.provider).toBe('offline');
    expect(attempts.map((a) => `${a.provider}:${a.status}:${a.errorKind ?? ''}`)).toEqual([
      'openai:error:server',
      'anthropic:error:not_found',
      'offline:ok:',
    ]);
  });
});
