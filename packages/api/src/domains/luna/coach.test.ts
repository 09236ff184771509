import { sql } from '@phoenix/db';
import { estimateTokens } from '@phoenix/gateway';
import { openAiCompletion, openAiStream, sseResponse } from '@phoenix/gateway/testing';
import { streamLunaMessage } from '@phoenix/sdk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, startTestServer, type TestServer } from '../../testing/index.ts';

// luna.chat over one keyed provider, so msw decides whether any AI answers.
const OPENAI_URL = 'https://api.openai.com/v1/chat/completions';
const msw = setupServer();
let server: TestServer;
type TestServerClient = ReturnType<TestServer['client']>;
const prompts: string[] = [];

const openAiAnswers = http.post(OPENAI_URL, async ({ request }) => {
  const body = (await request.json()) as { messages: { role: string; content: string }[] };
  prompts.push(body.messages.find((m) => m.role === 'system')?.content ?? '');
  return HttpResponse.json(openAiCompletion('Tell me more.'));
});
const openAiDown = http.post(OPENAI_URL, () =>
  HttpResponse.json({ error: { message: 'down', type: 'server_error' } }, { status: 503 }),
);

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startTestServer({
    env: {
      OPENAI_API_KEY: 'sk-test-openai',
      GATEWAY_ROUTES: JSON.stringify({
        'luna.chat': [{ provider: 'openai', model: 'gpt-4o-mini' }],
      }),
      GATEWAY_PRICES: JSON.stringify({ 'openai/gpt-4o-mini': { input: 0, output: 1_000_000 } }),
      GATEWAY_BACKOFF_BASE_MS: '5',
      GATEWAY_BREAKER_FAILURE_THRESHOLD: '100000',
      GATEWAY_BREAKER_MIN_REQUESTS: '100000',
      GATEWAY_FREE_REQUESTS_PER_MINUTE: '1000',
      AUTH_REGISTER_PER_IP_PER_HOUR: '1000',
    },
  });
});
afterEach(() => {
  msw.resetHandlers();
  prompts.length = 0;
});
afterAll(async () => {
  msw.close();
  await server.close();
});

const balanceOf = async (client: TestServerClient) =>
  (await client.gateway.credits.balance.query()).balance;

/** The user's energy moves, oldest first. */
const energyMoves = (userId: string) =>
  server.deps.db
    .selectFrom('lunaEnergyTransactions')
    .select(['reason', 'amount'])
    .where('userId', '=', userId)
    .orderBy('eventVersion')
    .execute();

/** A user holding exactly `credits`. */
const withCredits = (credits: number) => signUp(server, { label: 'coach', credits });

describe('luna coach', () => {
  it('switches to a supportive register after three low messages in a row', async () => {
    msw.use(openAiAnswers);
    const { client } = await signUp(server, { label: 'mood' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const send = (content: string) => client.luna.messages.send.mutate({ conversationId, content });
    expect((await send('I feel terrible today')).register).toBe('encouraging');
    expect((await send('Je suis triste et épuisée')).register).toBe('encouraging');
    const third = await send('Everything is awful and I am so tired');
    expect(third.register).toBe('supportive');
    expect(third.degraded).toBe(false);
    expect(third.reply.content).toBe('Tell me more.');
    expect(prompts[0]).toContain('Register: encouraging');
    expect(prompts[2]).toContain('Register: supportive');
    expect(prompts[2]).toMatch(/Mood over the last 7 days: low/);
    // A good message breaks the streak, and Luna celebrates the recovery.
    expect((await send('Actually I went for a walk and feel great!')).register).toBe('encouraging');
    const kinds = (await client.luna.celebrations.list.query()).items.map((c) => c.kind);
    expect(kinds).toContain('mood_recovered');
    await send('Still feeling great and happy!');
    const again = (await client.luna.celebrations.list.query()).items.map((c) => c.kind);
    expect(again.filter((k) => k === 'mood_recovered')).toHaveLength(1);
  });

  it('answers in degraded mode when every provider fails: no credits, energy refunded', async () => {
    msw.use(openAiDown);
    const { client } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const before = await client.luna.energy.query();
    const sent = await client.luna.messages.send.mutate({ conversationId, content: 'Hello Luna' });
    expect(sent.degraded).toBe(true);
    expect(sent.reply).toMatchObject({ role: 'coach', degraded: true });
    expect(sent.reply.content).toMatch(/can't give you a full answer/);
    expect(sent.energy.balance).toBe(before.balance);
    expect(await balanceOf(client)).toBe(500);
    // Deterministic: the same situation gives the same words.
    const again = await client.luna.messages.send.mutate({ conversationId, content: 'Hello?' });
    expect(again.reply.content).toBe(sent.reply.content);
  });

  it('gives the energy back when the provider refuses the message (no reply, no charge)', async () => {
    // OpenAI's answer to a message its content policy refuses.
    msw.use(
      http.post(OPENAI_URL, () =>
        HttpResponse.json(
          {
            error: {
              message: 'Your request was rejected as a result of our safety system.',
              type: 'invalid_request_error',
              param: null,
              code: 'content_policy_violation',
            },
          },
          { status: 400 },
        ),
      ),
    );
    const { client, id } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const before = (await client.luna.energy.query()).balance;
    await expect(
      client.luna.messages.send.mutate({ conversationId, content: 'Something refused' }),
    ).rejects.toThrow();
    expect((await client.luna.energy.query()).balance).toBe(before);
    const moves = await energyMoves(id);
    expect(moves).toEqual([
      { reason: 'message', amount: -5 },
      { reason: 'abandoned_refund', amount: 5 },
    ]);
    const history = await client.luna.messages.list.query({ conversationId });
    expect(history.items.map((m) => m.role)).toEqual(['user']);
    expect(await balanceOf(client)).toBe(500);
  });

  it('ends a stream with the degraded reply when every provider fails', async () => {
    msw.use(openAiDown);
    const { client } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const types: string[] = [];
    let degraded: boolean | undefined;
    for await (const event of streamLunaMessage(client, { conversationId, content: 'Hi Luna' })) {
      types.push(event.type);
      if (event.type === 'reply') degraded = event.result.reply.degraded;
    }
    expect(types).toEqual(['message', 'reply']);
    expect(degraded).toBe(true);
    expect((await client.luna.energy.query()).balance).toBe((await client.luna.energy.query()).max);
    expect(await balanceOf(client)).toBe(500);
  });

  it('gives the energy back when the client abandons a stream; the gateway bills only what was used', async () => {
    let cancelled = false;
    msw.use(
      http.post(OPENAI_URL, ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        // Two tokens, then the provider stalls: the client leaves mid-answer.
        return sseResponse(openAiStream(['Once', ' upon', ' a time']).slice(0, 3), { hang: true });
      }),
    );
    const { client, id } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const full = (await client.luna.energy.query()).balance;
    const seen: string[] = [];
    for await (const event of streamLunaMessage(client, {
      conversationId,
      content: 'Tell me a story',
      idempotencyKey: 'abandon-1',
    })) {
      seen.push(event.type);
      if (event.type === 'delta') break;
    }
    expect(seen).toEqual(['message', 'delta']);
    await vi.waitFor(
      async () => {
        const reasons = await energyMoves(id);
        expect(reasons).toEqual([
          { reason: 'message', amount: -5 },
          { reason: 'abandoned_refund', amount: 5 },
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect((await client.luna.energy.query()).balance).toBe(full);
    // The message stays, without a reply.
    const history = await client.luna.messages.list.query({ conversationId });
    expect(history.items.map((m) => m.role)).toEqual(['user']);
    // The gateway aborted upstream and billed the tokens delivered, not its reservation.
    await expect.poll(() => cancelled).toBe(true);
    const request = await server.deps.db
      .selectFrom('gatewayRequests')
      .select(['status', 'creditsCharged'])
      .where('userId', '=', id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('aborted');
    // At most the tokens the provider sent (1 credit a token here), far below the reservation.
    expect(request.creditsCharged).toBeGreaterThan(0);
    expect(request.creditsCharged).toBeLessThanOrEqual(estimateTokens('Once upon a time'));
    expect(await balanceOf(client)).toBe(500 - request.creditsCharged);
  });

  it('keeps the energy of a reply it stored when reading the reply back then fails', async () => {
    msw.use(openAiAnswers);
    const { client, id } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const db = server.deps.db;
    // A fault after the reply is stored: a trigger files the coach's rows under another id,
    // so reading the reply back by its id finds nothing (and the call fails) while
    // everything up to and including storing the reply works.
    await sql`create or replace function luna_test_misfile_reply() returns trigger
      language plpgsql as $$ begin
        if new.role = 'coach' then new.id := gen_random_uuid(); end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger luna_test_misfile_reply before insert on luna_messages
      for each row execute function luna_test_misfile_reply()`.execute(db);
    try {
      await expect(
        client.luna.messages.send.mutate({ conversationId, content: 'Read me back' }),
      ).rejects.toThrow();
    } finally {
      await sql`drop trigger luna_test_misfile_reply on luna_messages`.execute(db);
    }
    const moves = await energyMoves(id);
    expect(moves).toEqual([{ reason: 'message', amount: -5 }]);
    const history = await client.luna.messages.list.query({ conversationId });
    expect(history.items.map((m) => m.role)).toEqual(['user', 'coach']);
  });

  it('gives the energy back when building the prompt fails after the message was recorded', async () => {
    msw.use(openAiAnswers);
    const { client, id } = await withCredits(500);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const db = server.deps.db;
    // A store fault after the spend committed: the story the prompt reads is missing.
    await sql`alter table luna_narrative_versions rename to luna_narrative_versions_away`.execute(
      db,
    );
    try {
      await expect(
        client.luna.messages.send.mutate({ conversationId, content: 'Hello there' }),
      ).rejects.toThrow();
    } finally {
      await sql`alter table luna_narrative_versions_away rename to luna_narrative_versions`.execute(
        db,
      );
    }
    const moves = await energyMoves(id);
    expect(moves).toEqual([
      { reason: 'message', amount: -5 },
      { reason: 'abandoned_refund', amount: 5 },
    ]);
    expect(prompts).toEqual([]);
  });

  it('answers in degraded mode without credits, and refunds the energy', async () => {
    msw.use(openAiAnswers);
    const { client } = await withCredits(0);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const sent = await client.luna.messages.send.mutate({ conversationId, content: 'Hi there' });
    expect(sent.degraded).toBe(true);
    expect(prompts).toHaveLength(0);
    expect((await client.luna.energy.query()).balance).toBe(sent.energy.balance);
    expect(sent.energy.balance).toBe(sent.energy.max);
    expect(await balanceOf(client)).toBe(0);
  });

  it('keeps every version of the narrative, refreshed through the gateway when enough happened', async () => {
    msw.use(openAiAnswers);
    const { client } = await signUp(server, { label: 'story' });
    await client.luna.narrative.writeChapter.mutate({
      title: 'Leaving the old job',
      body: 'I want work that lets me breathe.',
      theme: 'freedom',
    });
    const early = await client.luna.narrative.refresh.mutate();
    expect(early).toMatchObject({ refreshed: false, narrative: { eventsSinceSummary: 1 } });
    expect(prompts).toHaveLength(0);

    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    for (let i = 0; i < 3; i++) {
      await client.luna.messages.send.mutate({ conversationId, content: `step ${i}` });
    }
    prompts.length = 0;
    const done = await client.luna.narrative.refresh.mutate();
    expect(done.refreshed).toBe(true);
    expect(done.narrative.summary).toMatchObject({ version: 1, summary: 'Tell me more.' });
    expect(done.narrative.themes).toEqual(['freedom']);
    expect(done.narrative.eventsSinceSummary).toBe(0);
    expect(prompts[0]).toMatch(/narrative summary/);

    // The next answer is written knowing the story.
    await client.luna.messages.send.mutate({ conversationId, content: 'hello again' });
    expect(prompts[1]).toContain('Their story so far: Tell me more.');
    expect((await client.luna.narrative.versions.query()).items.map((v) => v.version)).toEqual([1]);
  });

  it('pays one summary when refreshes of the narrative arrive at the same moment', async () => {
    msw.use(openAiAnswers);
    // Enough for every refresh to reserve its call: only the key keeps them to one.
    const { client, id } = await withCredits(5_000);
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    for (let i = 0; i < 3; i++) {
      await client.luna.messages.send.mutate({ conversationId, content: `news ${i}` });
    }
    prompts.length = 0;
    const spentBefore = await balanceOf(client);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => client.luna.narrative.refresh.mutate()),
    );
    expect(results.filter((r) => r.refreshed)).toHaveLength(1);
    expect(results.some((r) => r.degraded)).toBe(false);
    const summaries = prompts.filter((p) => /narrative summary/.test(p));
    expect(summaries).toHaveLength(1);
    const calls = await server.deps.db
      .selectFrom('gatewayRequests')
      .select(['creditsCharged'])
      .where('userId', '=', id)
      .where('route', '=', 'luna.chat')
      .where('idempotencyKey', 'like', 'luna-narrative:%')
      .execute();
    expect(calls).toHaveLength(1);
    expect(spentBefore - (await balanceOf(client))).toBe(calls[0]?.creditsCharged);
    expect((await client.luna.narrative.versions.query()).items.map((v) => v.version)).toEqual([1]);
  });
});
