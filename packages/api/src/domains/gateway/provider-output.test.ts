import { openAiCompletion, openAiStream, sseResponse } from '@phoenix/gateway/testing';
import { type ChatStreamEvent, streamChat } from '@phoenix/sdk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.ts';
import { GATEWAY_TEST_ENV, gatewayUser, OPENAI_URL } from './test-fixture.ts';

/**
 * What a provider says is not ours to refuse: a NUL or a lone surrogate in an answer is
 * legal JSON but cannot go into `jsonb`. The call must still settle and bill, plain or
 * streamed; the stored copy carries U+FFFD instead. And a cached answer is its payer's
 * alone unless the route says otherwise.
 */

const UNSTORABLE = 'A\u0000B\uD800C';
const STORED = 'A\uFFFDB\uFFFDC';

const msw = setupServer();
let server: TestServer;
let hits = 0;

const answering = (text: string) =>
  http.post(OPENAI_URL, () => {
    hits++;
    return HttpResponse.json(openAiCompletion(text));
  });

const ask = (content = 'hi') => ({
  route: 'chat.solo',
  messages: [{ role: 'user' as const, content }],
  maxTokens: 20,
});

async function rowsOf(userId: string) {
  return server.deps.db
    .selectFrom('gatewayRequests')
    .select(['status', 'response', 'creditsCharged'])
    .where('userId', '=', userId)
    .execute();
}

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startTestServer({
    env: {
      ...GATEWAY_TEST_ENV,
      GATEWAY_ROUTES: JSON.stringify({
        'chat.solo': [{ provider: 'openai', model: 'gpt-4o-mini' }],
        'chat.faq': { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], sharedCache: true },
      }),
    },
  });
});
afterEach(() => {
  msw.resetHandlers();
  hits = 0;
});
afterAll(async () => {
  msw.close();
  await server.close();
});

describe('a provider answer holding NUL and a lone surrogate', () => {
  it('answers the plain call, bills it, and stores the text with U+FFFD', async () => {
    msw.use(answering(UNSTORABLE));
    const { id, client } = await gatewayUser(server);
    const answer = await client.gateway.chat.mutate({ ...ask(), idempotencyKey: 'nul-answer-1' });
    expect(answer).toMatchObject({ text: STORED, creditsCharged: 10 });
    expect(await rowsOf(id)).toEqual([
      { status: 'ok', creditsCharged: 10, response: expect.objectContaining({ text: STORED }) },
    ]);
    // The replay is the stored answer, not a second call.
    const again = await client.gateway.chat.mutate({ ...ask(), idempotencyKey: 'nul-answer-1' });
    expect(again).toMatchObject({ text: STORED, replayed: true });
    expect(hits).toBe(1);
  });

  it('ends the streamed call cleanly and closes its request row', async () => {
    msw.use(http.post(OPENAI_URL, () => sseResponse(openAiStream(['A\u0000B', '\uD800C']))));
    const { id, client } = await gatewayUser(server);
    const events: ChatStreamEvent[] = [];
    for await (const event of streamChat(client, ask())) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'end', creditsCharged: 2 });
    expect(await rowsOf(id)).toEqual([
      { status: 'ok', creditsCharged: 2, response: expect.objectContaining({ text: STORED }) },
    ]);
    expect((await client.gateway.credits.balance.query()).balance).toBe(998);
  });
});

describe('the response cache', () => {
  it("never serves one user's cached answer to another", async () => {
    msw.use(answering('private answer'));
    const alice = await gatewayUser(server);
    const bob = await gatewayUser(server);
    const request = { ...ask(`my salary is ${Date.now()}`), cache: true };
    await alice.client.gateway.chat.mutate(request);
    expect(await alice.client.gateway.chat.mutate(request)).toMatchObject({ cached: true });
    const forBob = await bob.client.gateway.chat.mutate(request);
    expect(forBob).toMatchObject({ cached: false, creditsCharged: 10 });
    expect(hits).toBe(2);
  });

  it("serves an API key's call from its owner's cache, the owner's only", async () => {
    msw.use(answering('keyed answer'));
    const owner = await gatewayUser(server);
    const { secret } = await owner.client.auth.apiKeys.create.mutate({
      name: 'script',
      scopes: ['read', 'write'],
    });
    const request = { ...ask(`keyed ${Date.now()}`), cache: true };
    await owner.client.gateway.chat.mutate(request);
    const viaKey = await server.client(secret).gateway.chat.mutate(request);
    expect(viaKey).toMatchObject({ cached: true, creditsCharged: 0 });
    expect(hits).toBe(1);
  });

  it('shares answers across users on a route marked sharedCache', async () => {
    msw.use(answering('public answer'));
    const alice = await gatewayUser(server);
    const bob = await gatewayUser(server);
    const request = { ...ask(`opening hours ${Date.now()}`), route: 'chat.faq', cache: true };
    await alice.client.gateway.chat.mutate(request);
    const forBob = await bob.client.gateway.chat.mutate(request);
    expect(forBob).toMatchObject({ cached: true, creditsCharged: 0, text: 'public answer' });
    expect(hits).toBe(1);
  });
});
