import { openAiCompletion, openAiEmbeddings, whisperVerbose } from '@phoenix/gateway/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startAdminTestServer, type TestServer } from '../../testing/index.ts';
import { embedTexts } from './embedding.service.ts';
import { gatewayUser } from './test-fixture.ts';
import { transcribeAudio } from './transcription.service.ts';

const OPENAI = 'https://api.openai.com/v1';
const msw = setupServer();
let server: TestServer;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startAdminTestServer({
    env: {
      OPENAI_API_KEY: 'sk-test-openai',
      GATEWAY_ROUTES: JSON.stringify({
        'chat.openai': [{ provider: 'openai', model: 'gpt-4o-mini' }],
        'transcribe.openai': [{ provider: 'openai', model: 'whisper-1' }],
        'embed.openai': [{ provider: 'openai', model: 'text-embedding-3-small' }],
      }),
      GATEWAY_SIGNUP_CREDITS: '1000',
      GATEWAY_MAX_RETRIES: '0',
    },
  });
});
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await server?.close();
});

describe('gateway activity', () => {
  it('names each billed call by its capability: chat, transcribe, embed', async () => {
    msw.use(
      http.post(`${OPENAI}/chat/completions`, () => HttpResponse.json(openAiCompletion('Hi.'))),
      http.post(`${OPENAI}/audio/transcriptions`, () =>
        HttpResponse.json(whisperVerbose([{ start: 0, end: 4, text: ' Hello.' }], 4)),
      ),
      http.post(`${OPENAI}/embeddings`, () => HttpResponse.json(openAiEmbeddings([[0.1, 0.2]]))),
    );
    const user = await gatewayUser(server);
    const payer = { userId: user.id, apiKeyId: null, tier: 'FREE' as const };
    const chat = await user.client.gateway.chat.mutate({
      route: 'chat.openai',
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 10,
    });
    const transcribed = await transcribeAudio(server.deps, {
      payer,
      route: 'transcribe.openai',
      chunks: [{ startSeconds: 0, durationSeconds: 5, audio: new Uint8Array(44 + 5 * 32_000) }],
    });
    const embedded = await embedTexts(server.deps, payer, {
      route: 'embed.openai',
      texts: ['a sales call'],
    });

    // As the admin console lists them (and the GDPR export carries the same rows).
    const admin = await signUp(server, { label: 'activity-admin', role: 'admin' });
    const page = await admin.client.admin.activities.list.query({ userId: user.id });
    const byRequest = Object.fromEntries(
      page.items.filter((a) => a.resourceId).map((a) => [a.resourceId, a.action]),
    );
    expect(byRequest).toEqual({
      [chat.requestId]: 'gateway.chat',
      [transcribed.requestIds[0] ?? '']: 'gateway.transcribe',
      [embedded.requestId]: 'gateway.embed',
    });
    const embeds = await admin.client.admin.activities.list.query({
      userId: user.id,
      action: 'gateway.embed',
    });
    expect(embeds.items.map((a) => a.resourceId)).toEqual([embedded.requestId]);
  });

  it('logs no activity for a call that failed everywhere', async () => {
    msw.use(
      http.post(`${OPENAI}/embeddings`, () =>
        HttpResponse.json({ error: { message: 'down', type: 'server_error' } }, { status: 500 }),
      ),
    );
    const user = await gatewayUser(server);
    const payer = { userId: user.id, apiKeyId: null, tier: 'FREE' as const };
    await expect(
      embedTexts(server.deps, payer, { route: 'embed.openai', texts: ['a sales call'] }),
    ).rejects.toThrow();
    const rows = await server.deps.db
      .selectFrom('activityEvents')
      .select('action')
      .where('userId', '=', user.id)
      .where('action', 'like', 'gateway.%')
      .execute();
    expect(rows).toEqual([]);
  });
});
