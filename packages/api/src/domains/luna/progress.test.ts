import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { manualClock, startLunaTestServer } from './testing.ts';

const clock = manualClock();
let server: TestServer;

beforeAll(async () => {
  server = await startLunaTestServer({
    clock,
    // Other domains' events reach Luna through delivery jobs.
    worker: true,
    env: {
      LUNA_ENERGY_MAX_FREE: '50',
      LUNA_ENERGY_REGEN_PER_HOUR_FREE: '10',
      LUNA_ENERGY_PER_MESSAGE: '10',
      LUNA_ENERGY_PER_CELEBRATION: '15',
    },
  });
});
afterAll(() => server.close());

describe('luna goals and celebrations', () => {
  it('completes a goal through its milestones, celebrates once and grants energy', async () => {
    const { client } = await signUp(server, { label: 'goals' });
    const goal = await client.luna.goals.create.mutate({ title: 'Run 3 times', target: 3 });
    expect(goal).toMatchObject({ progress: 0, completed: false });
    // Spend some energy first, so the reward shows.
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    for (let i = 0; i < 3; i++) {
      await client.luna.messages.send.mutate({ conversationId, content: 'went running' });
    }
    expect((await client.luna.energy.query()).balance).toBe(20);

    expect((await client.luna.goals.progress.mutate({ id: goal.id })).progress).toBe(1);
    const done = await client.luna.goals.progress.mutate({ id: goal.id, amount: 5 });
    expect(done).toMatchObject({ progress: 3, completed: true });
    expect((await client.luna.energy.query()).balance).toBe(35);
    // A step on a completed goal changes nothing.
    await client.luna.goals.progress.mutate({ id: goal.id });
    expect((await client.luna.energy.query()).balance).toBe(35);

    const celebrations = await client.luna.celebrations.list.query();
    expect(celebrations.items.map((c) => c.kind).sort()).toEqual([
      'first_conversation',
      'goal_completed',
    ]);
    expect(celebrations.items.every((c) => !c.seen)).toBe(true);
    const latest = celebrations.items.find((c) => c.kind === 'goal_completed');
    if (!latest) throw new Error('no goal celebration');
    expect((await client.luna.celebrations.markSeen.mutate({ id: latest.id })).seen).toBe(true);

    expect((await client.luna.goals.list.query()).items).toHaveLength(0);
    expect((await client.luna.goals.list.query({ status: 'completed' })).items).toHaveLength(1);
  });

  it('fires a celebration exactly once when two completions race', async () => {
    const { client, id } = await signUp(server, { label: 'race' });
    const goal = await client.luna.goals.create.mutate({ title: 'Meditate' });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.luna.goals.progress.mutate({ id: goal.id })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const rows = await server.deps.db
      .selectFrom('lunaCelebrations')
      .select('kind')
      .where('userId', '=', id)
      .execute();
    expect(rows).toEqual([{ kind: 'goal_completed' }]);
    const events = await server.deps.db
      .selectFrom('lunaEvents')
      .select('type')
      .where('userId', '=', id)
      .where('type', '=', 'goal.progressed')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses another user’s goals and celebrations as not found', async () => {
    const owner = await signUp(server, { label: 'owner' });
    const other = await signUp(server, { label: 'other' });
    const goal = await owner.client.luna.goals.create.mutate({ title: 'Mine' });
    await owner.client.luna.goals.progress.mutate({ id: goal.id });
    const [celebration] = (await owner.client.luna.celebrations.list.query()).items;
    if (!celebration) throw new Error('no celebration');
    await expectPhoenixError(other.client.luna.goals.progress.mutate({ id: goal.id }), {
      code: 'NOT_FOUND',
    });
    await expectPhoenixError(
      other.client.luna.celebrations.markSeen.mutate({ id: celebration.id }),
      {
        code: 'NOT_FOUND',
      },
    );
    expect((await other.client.luna.celebrations.list.query()).items).toEqual([]);
  });

  it('shows energy, mood, goals and the latest celebration in one call', async () => {
    const { client } = await signUp(server, { label: 'today' });
    const empty = await client.luna.today.query();
    expect(empty).toMatchObject({
      energy: { balance: 50, max: 50 },
      mood: { week: null, month: null },
      goalsInProgress: [],
      latestCelebration: null,
    });
    expect(empty.energy.fullAt.getTime()).toBe(clock.t);

    await client.luna.goals.create.mutate({ title: 'Read', target: 2 });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    await client.luna.messages.send.mutate({ conversationId, content: 'I feel wonderful today!' });
    const now = await client.luna.today.query();
    expect(now.energy.balance).toBe(40);
    // 10 missing at 10 an hour.
    expect(now.energy.fullAt.getTime()).toBe(clock.t + 3_600_000);
    expect(now.mood.week).toBeGreaterThan(0);
    expect(now.mood.month).toBe(now.mood.week);
    expect(now.goalsInProgress.map((g) => g.title)).toEqual(['Read']);
    expect(now.latestCelebration).toMatchObject({ kind: 'first_conversation', seen: false });
  });
});

describe('luna goal proposals', () => {
  it('proposes goals the user accepts or declines; an accepted one becomes a goal once', async () => {
    const { client } = await signUp(server, { label: 'proposals' });
    const first = await client.luna.goals.propose.mutate();
    if (!first) throw new Error('no proposal');
    expect(first).toMatchObject({ status: 'open', tracks: 'rise.kaizen' });
    const second = await client.luna.goals.propose.mutate();
    expect(second?.title).not.toBe(first.title);
    expect((await client.luna.goals.proposals.query()).map((p) => p.id).sort()).toEqual(
      [first.id, second?.id].sort(),
    );

    const accepted = await client.luna.goals.answer.mutate({ id: first.id, accept: true });
    expect(accepted.status).toBe('accepted');
    // A retried accept creates nothing more.
    await client.luna.goals.answer.mutate({ id: first.id, accept: true });
    const goals = (await client.luna.goals.list.query()).items;
    expect(goals.map((g) => g.title)).toEqual([first.title]);
    expect(goals[0]?.id).toBe(accepted.goalId);

    if (!second) throw new Error('no second proposal');
    expect((await client.luna.goals.answer.mutate({ id: second.id, accept: false })).status).toBe(
      'declined',
    );
    expect(await client.luna.goals.proposals.query()).toEqual([]);

    const other = await signUp(server, { label: 'not-mine' });
    await expectPhoenixError(
      other.client.luna.goals.answer.mutate({ id: first.id, accept: true }),
      {
        code: 'NOT_FOUND',
      },
    );
  });
});

describe('luna streaks', () => {
  it('celebrates three days in a row once, counted in the user’s zone', async () => {
    const { client } = await signUp(server, { label: 'streak', timeZone: 'Pacific/Kiritimati' });
    const { id: conversationId } = await client.luna.conversations.start.mutate({});
    const send = () => client.luna.messages.send.mutate({ conversationId, content: 'checking in' });
    const streaks = async () =>
      (await client.luna.celebrations.list.query()).items.filter((c) => c.kind === 'streak');
    await send();
    clock.t += 24 * 3_600_000;
    await send();
    expect(await streaks()).toHaveLength(0);
    clock.t += 24 * 3_600_000;
    await send();
    expect(await streaks()).toHaveLength(1);
    await send();
    clock.t += 24 * 3_600_000;
    await send();
    // The same streak going on is not a new occurrence.
    expect(await streaks()).toHaveLength(1);
  });
});

describe('luna chapters', () => {
  it('celebrates the first conversation of a new chapter, once per chapter', async () => {
    const { client } = await signUp(server, { label: 'chapter' });
    await client.luna.conversations.start.mutate({});
    const count = async () =>
      (await client.luna.celebrations.list.query()).items.filter((c) => c.kind === 'new_chapter')
        .length;
    await client.luna.narrative.writeChapter.mutate({ title: 'A new start', body: 'Moving.' });
    await client.luna.conversations.start.mutate({});
    expect(await count()).toBe(1);
    await client.luna.conversations.start.mutate({});
    expect(await count()).toBe(1);
    await client.luna.narrative.writeChapter.mutate({ title: 'Next', body: 'Settling in.' });
    await client.luna.conversations.start.mutate({});
    expect(await count()).toBe(2);
  });
});

describe('luna progress from other domains', () => {
  it('moves a goal tracking Kaizen when Rise completes an action, through domain events', async () => {
    const { client, id } = await signUp(server, { label: 'kaizen' });
    const goal = await client.luna.goals.create.mutate({
      title: 'Three small wins',
      target: 2,
      tracks: 'rise.kaizen',
    });
    const untracked = await client.luna.goals.create.mutate({ title: 'Unrelated', target: 2 });
    const zazen = await client.luna.goals.create.mutate({
      title: 'Sit',
      target: 1,
      tracks: 'rise.zazen',
    });
    for (const text of ['walk', 'read']) {
      const action = await client.rise.kaizen.create.mutate({ text });
      await client.rise.kaizen.setCompleted.mutate({ id: action.id, completed: true });
    }
    await vi.waitFor(
      async () => {
        const list = await client.luna.goals.list.query({ status: 'completed' });
        expect(list.items.map((g) => g.id)).toEqual([goal.id]);
      },
      { timeout: 20_000, interval: 200 },
    );
    const open = await client.luna.goals.list.query();
    expect(open.items.find((g) => g.id === untracked.id)?.progress).toBe(0);
    expect(open.items.find((g) => g.id === zazen.id)?.progress).toBe(0);
    const inbox = await server.deps.db
      .selectFrom('lunaInbox')
      .select('source')
      .where('userId', '=', id)
      .execute();
    expect(inbox).toEqual([{ source: 'rise.kaizen' }, { source: 'rise.kaizen' }]);
    const kinds = (await client.luna.celebrations.list.query()).items.map((c) => c.kind);
    expect(kinds).toContain('goal_completed');
  });
});

describe('luna progress from Aube', () => {
  it('moves a goal tracking the diagnostic when Aube stores one, through a domain event', async () => {
    const { client, id } = await signUp(server, { label: 'aube' });
    const goal = await client.luna.goals.create.mutate({
      title: 'Know myself better',
      target: 2,
      tracks: 'aube.diagnostic',
    });
    const kaizen = await client.luna.goals.create.mutate({
      title: 'Small wins',
      target: 1,
      tracks: 'rise.kaizen',
    });
    const { catalogVersion, items } = await client.aube.questions.query();
    const answers = Object.fromEntries(items.map((q, i) => [q.id, 1 + (i % 5)]));
    await client.aube.diagnostic.submit.mutate({ catalogVersion, answers });
    await vi.waitFor(
      async () => {
        const open = await client.luna.goals.list.query();
        expect(open.items.find((g) => g.id === goal.id)?.progress).toBe(1);
      },
      { timeout: 20_000, interval: 200 },
    );
    await client.aube.diagnostic.submit.mutate({ catalogVersion, answers });
    await vi.waitFor(
      async () => {
        const done = await client.luna.goals.list.query({ status: 'completed' });
        expect(done.items.map((g) => g.id)).toEqual([goal.id]);
      },
      { timeout: 20_000, interval: 200 },
    );
    const open = await client.luna.goals.list.query();
    expect(open.items.find((g) => g.id === kaizen.id)?.progress).toBe(0);
    // Luna learnt of each diagnostic from its event, once (the inbox holds the event ids).
    const inbox = await server.deps.db
      .selectFrom('lunaInbox')
      .select('source')
      .where('userId', '=', id)
      .execute();
    expect(inbox).toEqual([{ source: 'aube.diagnostic' }, { source: 'aube.diagnostic' }]);
  });
});
