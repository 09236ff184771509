import { sql } from '@phoenix/db';
import type { PhoenixClient } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  signUp,
  startTestServer,
  type TestServer,
} from '../../testing/index.ts';

const NEW_YORK = 'America/New_York';
const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14
const PAGO_PAGO = 'Pacific/Pago_Pago'; // UTC-11
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_REGISTER_PER_IP_PER_HOUR: '1000' } });
});
afterAll(() => server.close());

/** Today in a zone, computed independently of Postgres. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The instant a local wall-clock time stands for in a zone (DST-aware, via Postgres). */
async function localInstant(timeZone: string, local: string): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select (${local}::timestamp at time zone ${timeZone}) as at`.execute(server.deps.db);
  const at = rows[0]?.at;
  if (!at) throw new Error('no instant');
  return new Date(at);
}

/** Completed Kaizen actions on the given days (one per day), written through the SDK. */
async function completeOn(client: PhoenixClient, dates: string[]) {
  for (const date of dates) {
    const action = await client.rise.kaizen.create.mutate({ text: `on ${date}`, date });
    await client.rise.kaizen.setCompleted.mutate({ id: action.id, completed: true });
  }
}

describe('kaizen actions', () => {
  it('creates, updates, completes, un-completes and deletes, recording activity', async () => {
    const { client, user } = await signUp(server, { label: 'kaizen' });
    const created = await client.rise.kaizen.create.mutate({
      text: '  Read ten pages  ',
      date: '2026-05-04',
    });
    expect(created).toMatchObject({
      text: 'Read ten pages',
      date: '2026-05-04',
      completed: false,
      completedAt: null,
    });
    expect(created.createdAt).toBeInstanceOf(Date);

    const updated = await client.rise.kaizen.update.mutate({ id: created.id, text: 'Read 20' });
    expect(updated).toMatchObject({ id: created.id, text: 'Read 20', date: '2026-05-04' });

    const done = await client.rise.kaizen.setCompleted.mutate({ id: created.id, completed: true });
    expect(done.completed).toBe(true);
    expect(done.completedAt).toBeInstanceOf(Date);
    // Completing again keeps the first completion time.
    const again = await client.rise.kaizen.setCompleted.mutate({ id: created.id, completed: true });
    expect(again.completedAt?.getTime()).toBe(done.completedAt?.getTime());

    const undone = await client.rise.kaizen.setCompleted.mutate({
      id: created.id,
      completed: false,
    });
    expect(undone).toMatchObject({ completed: false, completedAt: null });

    const events = await server.deps.db
      .selectFrom('activityEvents')
      .select(['action', 'resourceId'])
      .where('userId', '=', user.id)
      .where('action', 'like', 'rise.%')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { action: 'rise.kaizen.created', resourceId: created.id },
      { action: 'rise.kaizen.completed', resourceId: created.id },
    ]);

    expect(await client.rise.kaizen.delete.mutate({ id: created.id })).toEqual({ ok: true });
    expect((await client.rise.kaizen.list.query()).items).toEqual([]);
    await expectPhoenixError(client.rise.kaizen.delete.mutate({ id: created.id }), {
      code: 'NOT_FOUND',
    });
  });

  it.each([KIRITIMATI, PAGO_PAGO, NEW_YORK])(
    'defaults the date to today in the user zone (%s)',
    async (zone) => {
      const { client } = await signUp(server, { label: 'today', timeZone: zone });
      const action = await client.rise.kaizen.create.mutate({ text: 'Stretch' });
      expect(action.date).toBe(todayIn(zone));
    },
  );

  it('lists a date range', async () => {
    const { client } = await signUp(server, { label: 'range' });
    for (const date of ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']) {
      await client.rise.kaizen.create.mutate({ text: date, date });
    }
    const page = await client.rise.kaizen.list.query({ from: '2026-01-02', to: '2026-01-03' });
    expect(page.items.map((a) => a.date)).toEqual(['2026-01-03', '2026-01-02']);
    const asc = await client.rise.kaizen.list.query({ from: '2026-01-03', order: 'asc' });
    expect(asc.items.map((a) => a.date)).toEqual(['2026-01-03', '2026-01-04']);
  });

  it('refuses invalid input, naming the field', async () => {
    const { client } = await signUp(server, { label: 'invalid' });
    const create = (input: { text: string; date?: string }) =>
      client.rise.kaizen.create.mutate(input);
    const badRequest = (field: string) => ({ code: 'BAD_REQUEST', field });
    await expectPhoenixError(create({ text: 'x'.repeat(501) }), badRequest('text'));
    await expectPhoenixError(create({ text: '   ' }), badRequest('text'));
    await expectPhoenixError(create({ text: 'ok', date: '2026-02-30' }), badRequest('date'));
    await expectPhoenixError(create({ text: 'ok', date: '04/05/2026' }), badRequest('date'));
    await expectPhoenixError(
      client.rise.kaizen.list.query({ from: '2026-02-02', to: '2026-02-01' }),
      badRequest('to'),
    );
    await expectPhoenixError(client.rise.kaizen.list.query({ limit: 101 }), badRequest('limit'));
    await expectPhoenixError(client.rise.kaizen.list.query({ cursor: 'garbage' }), {
      code: 'BAD_REQUEST',
      reason: 'BAD_CURSOR',
      field: 'cursor',
    });
    const action = await create({ text: 'fine' });
    await expectPhoenixError(
      client.rise.kaizen.update.mutate({ id: action.id, text: 'y'.repeat(501) }),
      badRequest('text'),
    );
  });

  it("refuses another user's action as not found and never lists it", async () => {
    const owner = await signUp(server, { label: 'owner' });
    const other = await signUp(server, { label: 'other' });
    const action = await owner.client.rise.kaizen.create.mutate({ text: 'mine' });
    const notFound = { code: 'NOT_FOUND' };
    await expectPhoenixError(
      other.client.rise.kaizen.update.mutate({ id: action.id, text: 'stolen' }),
      notFound,
    );
    await expectPhoenixError(
      other.client.rise.kaizen.setCompleted.mutate({ id: action.id, completed: true }),
      notFound,
    );
    await expectPhoenixError(other.client.rise.kaizen.delete.mutate({ id: action.id }), notFound);
    expect((await other.client.rise.kaizen.list.query()).items).toEqual([]);
    const [still] = (await owner.client.rise.kaizen.list.query()).items;
    expect(still).toMatchObject({ id: action.id, text: 'mine', completed: false });
  });
});

describe('kaizen pagination', () => {
  it('pages through ties on date and created_at without gaps or duplicates', async () => {
    const { client, user } = await signUp(server, { label: 'pages' });
    // Same day, same millisecond, microseconds apart, and exact ties broken by id.
    const stamps = [
      '2026-02-01 10:00:00.000001+00',
      '2026-02-01 10:00:00.000002+00',
      '2026-02-01 10:00:00.000002+00',
      '2026-02-01 10:00:00.000900+00',
    ];
    for (const [i, stamp] of stamps.entries()) {
      await server.deps.db
        .insertInto('kaizenActions')
        .values({
          userId: user.id,
          text: `tie ${i}`,
          date: '2026-02-10',
          createdAt: sql<Date>`${stamp}::timestamptz`,
        })
        .execute();
    }
    for (const date of ['2026-02-09', '2026-02-11', '2026-02-12']) {
      await client.rise.kaizen.create.mutate({ text: date, date });
    }
    const all = (await client.rise.kaizen.list.query({ limit: 100 })).items;
    expect(all).toHaveLength(7);

    for (const order of ['desc', 'asc'] as const) {
      for (const limit of [1, 2, 3, 7]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await client.rise.kaizen.list.query({ limit, order, cursor });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((a) => a.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        expect(pages).toBe(Math.ceil(7 / limit));
        expect(new Set(seen).size).toBe(7);
        const expected = all.map((a) => a.id);
        expect(seen).toEqual(order === 'desc' ? expected : [...expected].reverse());
      }
    }
  });

  it('gives no next cursor when the last page is exactly full', async () => {
    const { client } = await signUp(server, { label: 'exact' });
    for (let i = 0; i < 4; i++) await client.rise.kaizen.create.mutate({ text: `a${i}` });
    const first = await client.rise.kaizen.list.query({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.rise.kaizen.list.query({
      limit: 2,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const defaults = await client.rise.kaizen.list.query();
    expect(defaults.items).toHaveLength(4);
    expect(defaults.nextCursor).toBeNull();
  });

  it('defaults to 20 items a page', async () => {
    const { user, client } = await signUp(server, { label: 'defaults' });
    await server.deps.db
      .insertInto('kaizenActions')
      .values(
        Array.from({ length: 21 }, (_, i) => ({
          userId: user.id,
          text: `n${i}`,
          date: '2026-03-01',
        })),
      )
      .execute();
    const page = await client.rise.kaizen.list.query();
    expect(page.items).toHaveLength(20);
    const rest = await client.rise.kaizen.list.query({ cursor: page.nextCursor ?? '' });
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('kaizen streaks', () => {
  it('counts a streak ending today, or ending yesterday, and a gap breaks it', async () => {
    const { client } = await signUp(server, { label: 'streak', timeZone: 'Europe/Paris' });
    const today = todayIn('Europe/Paris');
    await completeOn(
      client,
      [-1, -2, -3, -6, -7].map((d) => addDays(today, d)),
    );
    // Open (not completed) actions count for the rate but not the streak.
    await client.rise.kaizen.create.mutate({ text: 'open', date: today });
    expect(await client.rise.kaizen.streaks.query()).toEqual({
      today,
      currentStreak: 3,
      longestStreak: 3,
      totalActions: 6,
      completedActions: 5,
      completionRate: 5 / 6,
    });
    await completeOn(client, [today, addDays(today, -4)]);
    const joined = await client.rise.kaizen.streaks.query();
    expect(joined).toMatchObject({ currentStreak: 5, longestStreak: 5 });
    // Filling the gap joins both runs.
    await completeOn(client, [addDays(today, -5)]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({
      currentStreak: 8,
      longestStreak: 8,
    });
  });

  it('has no current streak when the last completed day is before yesterday', async () => {
    const { client } = await signUp(server, { label: 'broken', timeZone: 'UTC' });
    const today = todayIn('UTC');
    await completeOn(
      client,
      [-2, -3].map((d) => addDays(today, d)),
    );
    // A completed action planned for tomorrow does not count yet.
    await completeOn(client, [addDays(today, 1)]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({
      currentStreak: 0,
      longestStreak: 2,
    });
    const empty = await (
      await signUp(server, { label: 'empty' })
    ).client.rise.kaizen.streaks.query();
    expect(empty).toMatchObject({ currentStreak: 0, longestStreak: 0, completionRate: 0 });
  });

  it('counts several actions on one day once, and un-completing removes the day', async () => {
    const { client } = await signUp(server, { label: 'dupes' });
    const today = todayIn('UTC');
    await completeOn(client, [today, today, addDays(today, -1)]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({ currentStreak: 2 });
    const [latest] = (
      await client.rise.kaizen.list.query({ from: addDays(today, -1), to: addDays(today, -1) })
    ).items;
    await client.rise.kaizen.setCompleted.mutate({ id: latest?.id ?? '', completed: false });
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({
      currentStreak: 1,
      longestStreak: 1,
    });
  });

  it.each([KIRITIMATI, PAGO_PAGO])('uses today in %s, not in UTC', async (zone) => {
    const { client } = await signUp(server, { label: 'edge', timeZone: zone });
    const today = todayIn(zone);
    await completeOn(client, [addDays(today, -1)]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({
      today,
      currentStreak: 1,
      longestStreak: 1,
    });
    await completeOn(client, [today, addDays(today, -2)]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({
      currentStreak: 3,
      longestStreak: 3,
    });
  });

  it('runs across the DST changes of America/New_York as calendar days', async () => {
    const { client } = await signUp(server, { label: 'dst', timeZone: NEW_YORK });
    await completeOn(client, ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']);
    await completeOn(client, [
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
    expect(await client.rise.kaizen.streaks.query()).toMatchObject({ longestStreak: 5 });
  });
});

describe('zazen sessions', () => {
  it('records and lists sessions, recording activity', async () => {
    const { client, user } = await signUp(server, { label: 'zazen' });
    const startedAt = new Date('2026-04-01T06:30:00.000Z');
    const session = await client.rise.zazen.record.mutate({
      startedAt,
      durationSeconds: 600,
      trigger: 'stress',
      notes: '  breathing  ',
    });
    expect(session).toMatchObject({
      startedAt,
      durationSeconds: 600,
      trigger: 'stress',
      notes: 'breathing',
    });
    const bare = await client.rise.zazen.record.mutate({
      startedAt: new Date('2026-04-02T06:30:00.000Z'),
      durationSeconds: 14_400,
      trigger: 'routine',
    });
    expect(bare.notes).toBeNull();
    const page = await client.rise.zazen.list.query();
    expect(page.items.map((s) => s.id)).toEqual([bare.id, session.id]);
    expect(page.nextCursor).toBeNull();
    const ranged = await client.rise.zazen.list.query({
      from: new Date('2026-04-01T00:00:00Z'),
      to: new Date('2026-04-02T00:00:00Z'),
    });
    expect(ranged.items.map((s) => s.id)).toEqual([session.id]);
    const events = await server.deps.db
      .selectFrom('activityEvents')
      .select('resourceId')
      .where('userId', '=', user.id)
      .where('action', '=', 'rise.zazen.recorded')
      .execute();
    expect(events).toHaveLength(2);
  });

  it('refuses invalid sessions, naming the field', async () => {
    const { client } = await signUp(server, { label: 'zazen-invalid' });
    const valid = {
      startedAt: new Date('2026-04-01T06:30:00Z'),
      durationSeconds: 60,
      trigger: 'decision' as const,
    };
    const badRequest = (field: string) => ({ code: 'BAD_REQUEST', field });
    await expectPhoenixError(
      client.rise.zazen.record.mutate({ ...valid, durationSeconds: 0 }),
      badRequest('durationSeconds'),
    );
    await expectPhoenixError(
      client.rise.zazen.record.mutate({ ...valid, durationSeconds: 14_401 }),
      badRequest('durationSeconds'),
    );
    await expectPhoenixError(
      client.rise.zazen.record.mutate({ ...valid, durationSeconds: 1.5 }),
      badRequest('durationSeconds'),
    );
    await expectPhoenixError(
      // @ts-expect-error: a trigger outside the enum, as a careless client would send
      client.rise.zazen.record.mutate({ ...valid, trigger: 'boredom' }),
      badRequest('trigger'),
    );
    await expectPhoenixError(
      client.rise.zazen.record.mutate({ ...valid, notes: 'n'.repeat(2001) }),
      badRequest('notes'),
    );
    await expectPhoenixError(
      client.rise.zazen.record.mutate({ ...valid, startedAt: new Date(Date.now() + 86_400_000) }),
      { code: 'BAD_REQUEST', reason: 'STARTED_IN_FUTURE', field: 'startedAt' },
    );
    expect((await client.rise.zazen.list.query()).items).toEqual([]);
  });

  it('paginates with microsecond ties and keeps users apart', async () => {
    const { client, user } = await signUp(server, { label: 'zazen-pages' });
    const other = await signUp(server, { label: 'zazen-other' });
    await other.client.rise.zazen.record.mutate({
      startedAt: new Date('2026-01-01T00:00:00Z'),
      durationSeconds: 60,
      trigger: 'other',
    });
    const stamps = [
      '2026-01-05 07:00:00.000001+00',
      '2026-01-05 07:00:00.000001+00',
      '2026-01-05 07:00:00.000002+00',
      '2026-01-05 07:00:00.5+00',
      '2026-01-06 07:00:00+00',
    ];
    for (const stamp of stamps) {
      await server.deps.db
        .insertInto('zazenSessions')
        .values({
          userId: user.id,
          startedAt: sql<Date>`${stamp}::timestamptz`,
          durationSeconds: 300,
          trigger: 'routine',
        })
        .execute();
    }
    const all = (await client.rise.zazen.list.query({ limit: 100 })).items.map((s) => s.id);
    expect(all).toHaveLength(5);
    for (const limit of [1, 2, 5]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.rise.zazen.list.query({ limit, cursor });
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });
});

describe('zazen stats', () => {
  it('totals, averages, and 12 local weeks including empty ones', async () => {
    const zone = KIRITIMATI;
    const { client, user } = await signUp(server, { label: 'zazen-stats', timeZone: zone });
    const today = todayIn(zone);
    const isoDay = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
    const monday = addDays(today, 1 - isoDay);
    const at = (date: string, time: string) => localInstant(zone, `${date} ${time}`);
    const insert = async (startedAt: Date, durationSeconds: number) =>
      server.deps.db
        .insertInto('zazenSessions')
        .values({ userId: user.id, startedAt, durationSeconds, trigger: 'routine' })
        .execute();
    // Monday 00:10 belongs to this week; Sunday 23:50 just before it to the week before.
    await insert(await at(monday, '00:10'), 600);
    await insert(await at(addDays(monday, -1), '23:50'), 300);
    await insert(await at(addDays(monday, -1), '08:00'), 90);
    await insert(await at(addDays(monday, -7 * 11), '00:00'), 120);
    // Thirteen weeks back: outside the chart, inside the totals.
    await insert(await at(addDays(monday, -7 * 12), '12:00'), 1200);

    const stats = await client.rise.zazen.stats.query();
    expect(stats.sessions).toBe(5);
    expect(stats.totalMinutes).toBe(38.5);
    expect(stats.averageDurationSeconds).toBe(462);
    expect(stats.weeks).toHaveLength(12);
    expect(stats.weeks.map((w) => w.weekStart)).toEqual(
      Array.from({ length: 12 }, (_, i) => addDays(monday, -7 * (11 - i))),
    );
    expect(stats.weeks[11]).toEqual({ weekStart: monday, minutes: 10, sessions: 1 });
    expect(stats.weeks[10]).toEqual({ weekStart: addDays(monday, -7), minutes: 6.5, sessions: 2 });
    expect(stats.weeks[0]).toEqual({ weekStart: addDays(monday, -77), minutes: 2, sessions: 1 });
    expect(stats.weeks.slice(1, 10).every((w) => w.minutes === 0 && w.sessions === 0)).toBe(true);
  });

  it('is all zeros for a user without sessions', async () => {
    const { client } = await signUp(server, { label: 'zazen-none', timeZone: PAGO_PAGO });
    const stats = await client.rise.zazen.stats.query();
    expect(stats).toMatchObject({
      sessions: 0,
      totalMinutes: 0,
      averageDurationSeconds: 0,
      currentStreak: 0,
      longestStreak: 0,
    });
    expect(stats.weeks).toHaveLength(12);
  });

  it.each([KIRITIMATI, PAGO_PAGO])(
    'counts a meditation streak on local days in %s',
    async (zone) => {
      const { client } = await signUp(server, { label: 'zazen-streak', timeZone: zone });
      const today = todayIn(zone);
      const record = async (date: string, time: string) =>
        client.rise.zazen.record.mutate({
          startedAt: await localInstant(zone, `${date} ${time}`),
          durationSeconds: 60,
          trigger: 'routine',
        });
      // Just after local midnight and just before it: UTC would put these on other days.
      await record(addDays(today, -1), '00:05');
      await record(addDays(today, -2), '23:55');
      await record(addDays(today, -3), '00:05');
      await record(addDays(today, -5), '12:00');
      expect(await client.rise.zazen.stats.query()).toMatchObject({
        currentStreak: 3,
        longestStreak: 3,
      });
    },
  );

  // Sessions near midnight around each change: a fixed UTC-5 or UTC-4 offset, or UTC,
  // would move one of them to a neighbouring day and shorten the run below 4.
  it.each([
    [
      'spring forward',
      ['2026-03-07 23:30', '2026-03-08 12:00', '2026-03-09 00:30', '2026-03-10 12:00'],
    ],
    ['fall back', ['2026-10-30 00:30', '2026-10-31 12:00', '2026-11-01 23:30', '2026-11-02 12:00']],
  ])('places sessions on New York days across the DST change (%s)', async (_, locals) => {
    const { client } = await signUp(server, { label: 'zazen-dst', timeZone: NEW_YORK });
    for (const local of locals) {
      await client.rise.zazen.record.mutate({
        startedAt: await localInstant(NEW_YORK, local),
        durationSeconds: 60,
        trigger: 'routine',
      });
    }
    expect((await client.rise.zazen.stats.query()).longestStreak).toBe(4);
  });
});

describe('dashboard', () => {
  it('sums Kaizen, streak and Zazen figures in one call', async () => {
    const { client } = await signUp(server, { label: 'dashboard', timeZone: PAGO_PAGO });
    const today = todayIn(PAGO_PAGO);
    await completeOn(client, [today, addDays(today, -1)]);
    await client.rise.kaizen.create.mutate({ text: 'open' });
    await client.rise.kaizen.create.mutate({ text: 'open too' });
    for (const durationSeconds of [300, 900]) {
      await client.rise.zazen.record.mutate({
        startedAt: new Date('2026-01-10T10:00:00Z'),
        durationSeconds,
        trigger: 'stress',
      });
    }
    expect(await client.rise.stats.query()).toEqual({
      totalKaizen: 4,
      completedKaizen: 2,
      completionRate: 0.5,
      currentStreak: 2,
      zazenSessions: 2,
      totalZazenMinutes: 20,
      averageSessionSeconds: 600,
    });
    const empty = await (
      await signUp(server, { label: 'dashboard-empty' })
    ).client.rise.stats.query();
    expect(empty).toEqual({
      totalKaizen: 0,
      completedKaizen: 0,
      completionRate: 0,
      currentStreak: 0,
      zazenSessions: 0,
      totalZazenMinutes: 0,
      averageSessionSeconds: 0,
    });
  });
});

describe('admin read path', () => {
  it("lets an administrator list a user's actions and refuses everyone else", async () => {
    const owner = await signUp(server, { label: 'watched' });
    await owner.client.rise.kaizen.create.mutate({ text: 'one', date: '2026-06-01' });
    await owner.client.rise.kaizen.create.mutate({ text: 'two', date: '2026-06-02' });
    const nosy = await signUp(server, { label: 'nosy' });
    await expectPhoenixError(nosy.client.rise.admin.kaizen.list.query({ userId: owner.user.id }), {
      code: 'FORBIDDEN',
      reason: 'ADMIN_ONLY',
    });
    const admin = await signUp(server, { label: 'admin' });
    await server.deps.db
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', admin.user.id)
      .execute();
    await server.deps.auth.userChanged(admin.user.id);
    const first = await admin.client.rise.admin.kaizen.list.query({
      userId: owner.user.id,
      limit: 1,
    });
    expect(first.items.map((a) => a.text)).toEqual(['two']);
    const second = await admin.client.rise.admin.kaizen.list.query({
      userId: owner.user.id,
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((a) => a.text)).toEqual(['one']);
    expect(second.nextCursor).toBeNull();
    await expectPhoenixError(admin.client.rise.admin.kaizen.list.query({ userId: 'not-a-uuid' }), {
      code: 'BAD_REQUEST',
      field: 'userId',
    });
  });
});
