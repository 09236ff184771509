import { getErrorDetails, type LunaMessageStreamEvent, streamLunaMessage } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { manualClock, startLunaTestServer } from './testing.ts';

const HOUR_MS = 3_600_000;
const clock = manualClock();

let server: TestServer;

beforeAll(async () => {
  server = await startLunaTestServer({
    clock,
    env: {
      LUNA_ENERGY_MAX_FREE: '20',
      LUNA_ENERGY_REGEN_PER_HOUR_FREE: '4',
      LUNA_ENERGY_PER_MESSAGE: '5',
    },
  });
});
afterAll(() => server.close());

describe('luna conversations', () => {
  it('starts, lists, reads and archives a conversation, and answers through the gateway', async () => {
    const { client } = await signUp(server, { label: 'luna' });
    const conversation = await client.luna.conversations.start.mutate({ title: 'Monday' });
    expect(conversation).toMatchObject({ title: 'Monday', archived: false, messageCount: 0 });

    const sent = await client.luna.messages.send.mutate({
      conversationId: conversation.id,
      content: 'I finished my first week of running, I am so happy!',
    });
    expect(sent.degraded).toBe(false);
    expect(sent.message.sentiment?.label).toBe('positive');
    expect(sent.reply.role).toBe('coach');
    // The offline provider answers at the end of the default luna.chat route.
    expect(sent.reply.content).toContain('offline mode');
    expect(sent.energy.balance).toBe(15);

    const got = await client.luna.conversations.get.query({ id: conversation.id });
    expect(got.messageCount).toBe(2);
    const history = await client.luna.messages.list.query({ conversationId: conversation.id });
    expect(history.items.map((m) => m.role)).toEqual(['user', 'coach']);

    const page = await client.luna.conversations.list.query();
    expect(page.items.map((c) => c.id)).toContain(conversation.id);

    const archived = await client.luna.conversations.archive.mutate({ id: conversation.id });
    expect(archived.archived).toBe(true);
    expect((await client.luna.conversations.list.query()).items.map((c) => c.id)).not.toContain(
      conversation.id,
    );
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: conversation.id, content: 'hello?' }),
      { code: 'CONFLICT', reason: 'CONVERSATION_ARCHIVED' },
    );
  });

  it('pages a long history in stream order', async () => {
    const { client } = await signUp(server, { label: 'pages', tier: 'PREMIUM' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    for (let i = 0; i < 3; i++) {
      await client.luna.messages.send.mutate({ conversationId, content: `note ${i}` });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.luna.messages.list.query({ conversationId, limit: 4, cursor });
      seen.push(...page.items.map((m) => m.content));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual(['note 0', 'note 1', 'note 2']);
  });

  it('refuses every id of another user as not found', async () => {
    const owner = await signUp(server, { label: 'owner' });
    const other = await signUp(server, { label: 'other' });
    const { id } = await owner.client.luna.conversations.start.mutate({});
    const calls = [
      () => other.client.luna.conversations.get.query({ id }),
      () => other.client.luna.conversations.archive.mutate({ id }),
      () => other.client.luna.messages.send.mutate({ conversationId: id, content: 'hi' }),
      () => other.client.luna.messages.list.query({ conversationId: id }),
    ];
    for (const call of calls) await expectPhoenixError(call(), { code: 'NOT_FOUND' });
    // The refused send spent nothing.
    expect((await other.client.luna.energy.query()).balance).toBe(20);
    expect((await owner.client.luna.conversations.get.query({ id })).archived).toBe(false);
  });

  it('refuses bad input with a typed 4xx', async () => {
    const { client } = await signUp(server, { label: 'bad-input' });
    const { id } = await client.luna.conversations.start.mutate({});
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: id, content: '' }),
      {
        code: 'BAD_REQUEST',
        field: 'content',
      },
    );
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: id, content: '   ' }),
      { code: 'BAD_REQUEST', field: 'content' },
    );
    // A 1 MB message is refused by the body limit before any parsing; one just over
    // Luna's own limit by the input schema, naming the field.
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: id, content: 'x'.repeat(1024 * 1024) }),
      { code: 'PAYLOAD_TOO_LARGE' },
    );
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: id, content: 'x'.repeat(4_001) }),
      { code: 'BAD_REQUEST', field: 'content' },
    );
    // Nothing was spent on a refusal.
    expect((await client.luna.energy.query()).balance).toBe(20);
    await expectPhoenixError(
      client.luna.messages.send.mutate({ conversationId: crypto.randomUUID(), content: 'hi' }),
      { code: 'NOT_FOUND' },
    );
    await expectPhoenixError(client.luna.conversations.get.query({ id: 'not-a-uuid' }), {
      code: 'BAD_REQUEST',
      field: 'id',
    });
  });
});

describe('luna energy', () => {
  it('spends per message, refuses when empty with the time to wait, and regenerates with time', async () => {
    const { client } = await signUp(server, { label: 'energy' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const send = () => client.luna.messages.send.mutate({ conversationId, content: 'hello' });
    for (let i = 0; i < 4; i++) await send();
    expect((await client.luna.energy.query()).balance).toBe(0);

    const refusal = await expectPhoenixError(send(), {
      code: 'TOO_MANY_REQUESTS',
      reason: 'LUNA_ENERGY_DEPLETED',
    });
    // 5 energy at 4 an hour: 75 minutes.
    expect(refusal.retryAfterSeconds).toBe(4500);

    clock.t += HOUR_MS;
    const later = await client.luna.energy.query();
    expect(later.balance).toBe(4);
    expect(later.fullAt.getTime()).toBe(clock.t + 4 * HOUR_MS);
    await expectPhoenixError(send(), { code: 'TOO_MANY_REQUESTS', reason: 'LUNA_ENERGY_DEPLETED' });

    clock.t += 15 * 60_000;
    expect((await send()).energy.balance).toBe(0);

    clock.t += 100 * HOUR_MS;
    // Regeneration stops at the maximum.
    expect((await client.luna.energy.query()).balance).toBe(20);
  });

  it('never goes below zero under 50 concurrent messages', async () => {
    const { client, id } = await signUp(server, { label: 'race' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        client.luna.messages.send.mutate({ conversationId, content: `race ${i}` }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    // 20 energy at 5 a message; the clock stands still.
    expect(ok).toHaveLength(4);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(getErrorDetails(r.reason)?.reason).toBe('LUNA_ENERGY_DEPLETED');
      }
    }
    expect((await client.luna.energy.query()).balance).toBe(0);
    const txs = await server.deps.db
      .selectFrom('lunaEnergyTransactions')
      .select(['amount', 'balanceAfter'])
      .where('userId', '=', id)
      .orderBy('eventVersion')
      .execute();
    expect(txs.map((t) => t.balanceAfter)).toEqual([15, 10, 5, 0]);
    expect(txs.every((t) => t.balanceAfter >= 0)).toBe(true);
  });
  it('stays within [0, max] under 50 concurrent spends and rewards', async () => {
    const { client, id } = await signUp(server, { label: 'bounds' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const goals = [];
    for (let i = 0; i < 25; i++)
      goals.push(await client.luna.goals.create.mutate({ title: `g${i}` }));
    // Messages spend, completed goals give back (capped at the maximum), all at once.
    const calls = goals.flatMap((goal, i) => [
      () => client.luna.messages.send.mutate({ conversationId, content: `bounds ${i}` }),
      () => client.luna.goals.progress.mutate({ id: goal.id }),
    ]);
    const results = await Promise.allSettled(calls.map((call) => call()));
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(getErrorDetails(r.reason)?.reason).toBe('LUNA_ENERGY_DEPLETED');
      }
    }
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(25);
    const txs = await server.deps.db
      .selectFrom('lunaEnergyTransactions')
      .select(['amount', 'balanceAfter'])
      .where('userId', '=', id)
      .orderBy('eventVersion')
      .execute();
    // Every step in bounds, and each one the previous balance moved by its amount.
    let balance = 20;
    for (const tx of txs) {
      expect(tx.balanceAfter).toBeGreaterThanOrEqual(0);
      expect(tx.balanceAfter).toBeLessThanOrEqual(20);
      expect(tx.balanceAfter).toBe(balance + tx.amount);
      balance = tx.balanceAfter;
    }
    expect(txs.some((tx) => tx.amount > 0)).toBe(true);
    expect((await client.luna.energy.query()).balance).toBe(balance);
  });
});

describe('luna streamed messages', () => {
  it('streams the recorded message, the tokens, then the recorded reply', async () => {
    const { client } = await signUp(server, { label: 'stream' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const events: LunaMessageStreamEvent[] = [];
    for await (const event of streamLunaMessage(client, {
      conversationId,
      content: 'How do I start running?',
      idempotencyKey: 'stream-key-1',
    })) {
      events.push(event);
    }
    expect(events[0]?.type).toBe('message');
    const last = events.at(-1);
    if (last?.type !== 'reply') throw new Error('no reply event');
    const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
    expect(deltas.length).toBeGreaterThan(0);
    expect(last.result.reply.content).toBe(deltas.join('').trim());
    expect(last.result.degraded).toBe(false);
    expect(last.result.energy.balance).toBe(15);
    const history = await client.luna.messages.list.query({ conversationId });
    expect(history.items.map((m) => m.role)).toEqual(['user', 'coach']);

    // A replayed key (a reconnect) is refused and spends nothing.
    const replay = streamLunaMessage(client, {
      conversationId,
      content: 'How do I start running?',
      idempotencyKey: 'stream-key-1',
    });
    await expectPhoenixError(replay.next(), { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_USED' });
    expect((await client.luna.energy.query()).balance).toBe(15);
  });

  it('refuses a stream to another user’s conversation', async () => {
    const owner = await signUp(server, { label: 'stream-owner' });
    const other = await signUp(server, { label: 'stream-other' });
    const { id } = await owner.client.luna.conversations.start.mutate({});
    await expectPhoenixError(
      streamLunaMessage(other.client, { conversationId: id, content: 'hi' }).next(),
      { code: 'NOT_FOUND' },
    );
  });
});
