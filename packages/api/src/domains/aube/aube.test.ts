import { sql } from '@phoenix/db';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  expectPhoenixError,
  signUp,
  startTestServer,
  type TestServer,
} from '../../testing/index.ts';
import { QUESTION_CATALOG_VERSION, QUESTIONS } from './catalog/questions.ts';
import { matchCareers } from './matching.ts';
import type { Dimension, Direction } from './model.ts';

let server: TestServer;

/** Answers that lean toward `poles` on every item, by `strength` (1 = 4/2, 2 = 5/1). */
function leaning(poles: Record<Dimension, Direction>, strength: 1 | 2): Record<string, number> {
  return Object.fromEntries(
    QUESTIONS.map((q) => [q.id, q.direction === poles[q.dimension] ? 3 + strength : 3 - strength]),
  );
}

const ENTJ = { EI: 'first', SN: 'second', TF: 'first', JP: 'first' } as const;
const ISFP = { EI: 'second', SN: 'first', TF: 'second', JP: 'second' } as const;
const VERSION = QUESTION_CATALOG_VERSION;

function countRows(table: 'aubeDiagnostics' | 'aubeRecommendations', userId: string) {
  return server.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.n));
}

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_REGISTER_PER_IP_PER_HOUR: '1000' } });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('aube.questions', () => {
  it('is public and serves the current catalog in English or French', async () => {
    const en = await server.client().aube.questions.query();
    expect(en).toMatchObject({ catalogVersion: VERSION, locale: 'en', scale: { min: 1, max: 5 } });
    expect(en.items).toHaveLength(QUESTIONS.length);
    expect(en.items[0]).toEqual({
      id: 'q01',
      dimension: 'EI',
      text: QUESTIONS[0]?.text.en,
    });
    const fr = await server.client().aube.questions.query({ locale: 'fr' });
    expect(fr.items[0]?.text).toBe(QUESTIONS[0]?.text.fr);
    expect(fr.items.map((i) => i.id)).toEqual(en.items.map((i) => i.id));
  });
});

describe('aube.diagnostic', () => {
  it('stores known answer sets with their known types and returns them', async () => {
    const { client, user } = await signUp(server, { label: 'entj' });
    const answers = leaning(ENTJ, 2);
    const stored = await client.aube.diagnostic.submit.mutate({ catalogVersion: VERSION, answers });
    expect(stored).toMatchObject({
      catalogVersion: VERSION,
      type: 'ENTJ',
      scores: { EI: 100, SN: 0, TF: 100, JP: 100 },
      confidence: 1,
      answers,
    });
    expect(stored.dimensionClarity.EI).toEqual({
      clarity: 1,
      band: 'very_clear',
      consistency: 1,
    });
    expect(await client.aube.diagnostic.latest.query()).toEqual(stored);
    expect(await client.aube.diagnostic.get.query({ id: stored.id })).toEqual(stored);

    const row = await server.deps.db
      .selectFrom('aubeDiagnostics')
      .selectAll()
      .where('id', '=', stored.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ userId: user.id, type: 'ENTJ', answers, confidence: 1 });
    const activity = await server.deps.db
      .selectFrom('activityEvents')
      .select(['action', 'resourceId'])
      .where('userId', '=', user.id)
      .where('action', '=', 'aube.diagnostic.completed')
      .execute();
    expect(activity).toEqual([{ action: 'aube.diagnostic.completed', resourceId: stored.id }]);

    const mild = await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ISFP, 1),
    });
    expect(mild.type).toBe('ISFP');
    expect(mild.confidence).toBe(0.5);
    expect((await client.aube.diagnostic.latest.query())?.id).toBe(mild.id);
  });

  it('refuses incomplete, out-of-range, unknown and wrong-version answers, naming the field', async () => {
    const { client, user } = await signUp(server, { label: 'refused' });
    const { q07: _dropped, ...withoutQ07 } = leaning(ENTJ, 2);
    await expectPhoenixError(
      client.aube.diagnostic.submit.mutate({ catalogVersion: VERSION, answers: withoutQ07 }),
      { code: 'BAD_REQUEST', reason: 'INCOMPLETE_ANSWERS', field: 'answers.q07' },
    );
    await expectPhoenixError(
      client.aube.diagnostic.submit.mutate({
        catalogVersion: '2020-01-v0',
        answers: leaning(ENTJ, 2),
      }),
      { code: 'BAD_REQUEST', reason: 'CATALOG_VERSION_MISMATCH', field: 'catalogVersion' },
    );
    await expectPhoenixError(
      client.aube.diagnostic.submit.mutate({
        catalogVersion: VERSION,
        answers: { ...leaning(ENTJ, 2), q99: 3 },
      }),
      { code: 'BAD_REQUEST', reason: 'UNKNOWN_QUESTION', field: 'answers.q99' },
    );
    await expectPhoenixError(
      client.aube.diagnostic.submit.mutate({
        catalogVersion: VERSION,
        answers: { ...leaning(ENTJ, 2), q03: 6 },
      }),
      { code: 'BAD_REQUEST', field: 'answers.q03' },
    );
    expect(await countRows('aubeDiagnostics', user.id)).toBe(0);
    expect(await client.aube.diagnostic.latest.query()).toBeNull();
  });

  it('pages history newest first with exact boundaries', async () => {
    const { client } = await signUp(server, { label: 'pager' });
    expect(await client.aube.diagnostic.history.query()).toEqual({ items: [], nextCursor: null });
    const submitted: string[] = [];
    for (const strength of [1, 2, 1, 2, 1] as const) {
      const d = await client.aube.diagnostic.submit.mutate({
        catalogVersion: VERSION,
        answers: leaning(strength === 1 ? ISFP : ENTJ, strength),
      });
      submitted.push(d.id);
    }

    const whole = await client.aube.diagnostic.history.query({ limit: 5 });
    expect(whole.nextCursor).toBeNull();
    expect(whole.items).toHaveLength(5);
    const times = whole.items.map((d) => d.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(whole.items[0]?.id).toBe(submitted.at(-1));
    expect(new Set(whole.items.map((d) => d.id))).toEqual(new Set(submitted));

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.aube.diagnostic.history.query({ limit: 2, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(whole.items.map((d) => d.id));

    const four = await client.aube.diagnostic.history.query({ limit: 4 });
    expect(four.items).toHaveLength(4);
    expect(four.nextCursor).not.toBeNull();
    const rest = await client.aube.diagnostic.history.query({
      limit: 4,
      cursor: four.nextCursor ?? undefined,
    });
    expect(rest).toMatchObject({ nextCursor: null });
    expect(rest.items.map((d) => d.id)).toEqual([whole.items[4]?.id]);

    // Five rows with one timestamp: the id breaks the tie, and no page skips or repeats one.
    await sql`
      update aube_diagnostics set created_at = timestamptz '2026-03-01 12:00:00.123+00'
      where id = any(${submitted}::uuid[])
    `.execute(server.deps.db);
    const tied: string[] = [];
    cursor = undefined;
    do {
      const page = await client.aube.diagnostic.history.query({ limit: 2, cursor });
      tied.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(tied).toEqual([...submitted].sort().reverse());

    await expectPhoenixError(client.aube.diagnostic.history.query({ cursor: 'not-a-cursor' }), {
      code: 'BAD_REQUEST',
      reason: 'BAD_CURSOR',
      field: 'cursor',
    });
    await expectPhoenixError(client.aube.diagnostic.history.query({ limit: 51 }), {
      code: 'BAD_REQUEST',
      field: 'limit',
    });
  });
});

describe('aube.matches', () => {
  it('is NOT_FOUND with reason NO_DIAGNOSTIC before the first diagnostic', async () => {
    const { client } = await signUp(server, { label: 'nomatch' });
    await expectPhoenixError(client.aube.matches.query(), {
      code: 'NOT_FOUND',
      reason: 'NO_DIAGNOSTIC',
    });
  });

  it('ranks careers for the latest diagnostic, honours the limit and localizes titles', async () => {
    const { client } = await signUp(server, { label: 'matcher' });
    const d = await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ISFP, 1),
    });
    const defaults = await client.aube.matches.query();
    expect(defaults).toMatchObject({ diagnosticId: d.id, type: 'ISFP', locale: 'en' });
    expect(defaults.items).toHaveLength(10);
    expect(defaults.items.map((m) => m.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(defaults.items.map((m) => m.careerId)).toEqual(
      matchCareers(d.scores, { limit: 10 }).map((m) => m.career.id),
    );
    const ordered = [...defaults.items].sort(
      (a, b) => b.matchScore - a.matchScore || b.aiResilience - a.aiResilience,
    );
    expect(defaults.items.map((m) => m.careerId)).toEqual(ordered.map((m) => m.careerId));
    const first = defaults.items[0];
    expect(first?.aiResilienceRationale.length).toBeGreaterThan(0);
    expect(['declining', 'stable', 'growing', 'booming']).toContain(first?.growthOutlook);

    const three = await client.aube.matches.query({ limit: 3 });
    expect(three.items).toEqual(defaults.items.slice(0, 3));
    expect((await client.aube.matches.query({ limit: 60 })).items).toHaveLength(60);
    await expectPhoenixError(client.aube.matches.query({ limit: 61 }), {
      code: 'BAD_REQUEST',
      field: 'limit',
    });
    await expectPhoenixError(client.aube.matches.query({ limit: 0 }), {
      code: 'BAD_REQUEST',
      field: 'limit',
    });

    const french = await client.aube.matches.query({ limit: 3, locale: 'fr' });
    expect(french.locale).toBe('fr');
    expect(french.items.map((m) => m.careerId)).toEqual(three.items.map((m) => m.careerId));
  });

  it("uses the profile's locale for titles", async () => {
    const { client } = await signUp(server, { label: 'francophone', locale: 'fr-FR' });
    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ENTJ, 2),
    });
    const { locale, items } = await client.aube.matches.query({ limit: 60 });
    expect(locale).toBe('fr');
    expect(items.find((m) => m.careerId === 'software-engineer')?.title).toBe(
      'Ingénieur / Ingénieure logiciel',
    );
  });
});

describe('aube.recommendations', () => {
  it('generates once through the gateway, then serves the stored plan', async () => {
    const { client, user } = await signUp(server, { label: 'planner' });
    await expectPhoenixError(client.aube.recommendations.get.query(), {
      code: 'NOT_FOUND',
      reason: 'NO_DIAGNOSTIC',
    });
    const chat = vi.spyOn(server.deps.gateway.router, 'chat');
    const d = await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ENTJ, 2),
    });

    const first = await client.aube.recommendations.get.query();
    expect(chat).toHaveBeenCalledTimes(1);
    expect(chat.mock.calls[0]?.[0]).toBe('chat.default');
    expect(first).toMatchObject({ diagnosticId: d.id, type: 'ENTJ', locale: 'en', stored: false });
    // No provider key in tests: the offline provider answers, deterministically.
    expect(first.provider).toBe('offline');
    expect(first.text).toContain('Career plan for an ENTJ profile');
    expect(first.steps).toHaveLength(3);
    const top = await client.aube.matches.query({ limit: 3 });
    expect(first.steps.map((s) => s.careerId)).toEqual(top.items.map((m) => m.careerId));
    expect(first.steps[0]?.action).toContain(top.items[0]?.title ?? '?');

    const second = await client.aube.recommendations.get.query();
    expect(chat).toHaveBeenCalledTimes(1);
    expect(second).toEqual({ ...first, stored: true });
    expect(second.generatedAt).toEqual(first.generatedAt);
    expect(await countRows('aubeRecommendations', user.id)).toBe(1);

    // A new diagnostic gets its own plan; regenerate rewrites it with one more call.
    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ISFP, 2),
    });
    const next = await client.aube.recommendations.get.query();
    expect(chat).toHaveBeenCalledTimes(2);
    expect(next).toMatchObject({ type: 'ISFP', stored: false });
    const again = await client.aube.recommendations.regenerate.mutate();
    expect(chat).toHaveBeenCalledTimes(3);
    expect(again).toMatchObject({ diagnosticId: next.diagnosticId, stored: false });
    expect(again.generatedAt.getTime()).toBeGreaterThanOrEqual(next.generatedAt.getTime());
    expect(await countRows('aubeRecommendations', user.id)).toBe(2);
  });

  it('writes the first plan only for a caller who may write; a read-only key gets it once written', async () => {
    const { client } = await signUp(server, { label: 'plan-keys' });
    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ENTJ, 1),
    });
    const keyed = async (scopes: ('read' | 'write')[]) => {
      const { secret } = await client.auth.apiKeys.create.mutate({ name: 'k', scopes });
      return server.client(secret);
    };
    const reader = await keyed(['read']);
    await expectPhoenixError(reader.aube.recommendations.get.query(), {
      code: 'FORBIDDEN',
      reason: 'API_KEY_SCOPE',
    });
    const written = await (await keyed(['write'])).aube.recommendations.get.query();
    expect(written.stored).toBe(false);
    expect(await reader.aube.recommendations.get.query()).toEqual({ ...written, stored: true });
  });

  it('pays once for a first plan asked twice at once', async () => {
    const { client } = await signUp(server, { label: 'plan-twice' });
    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ISFP, 2),
    });
    const chat = vi.spyOn(server.deps.gateway.router, 'chat');
    const [a, b] = await Promise.all([
      client.aube.recommendations.get.query(),
      client.aube.recommendations.get.query(),
    ]);
    expect(chat).toHaveBeenCalledTimes(1);
    chat.mockRestore();
    // One read wrote the plan; the other waited for it and read it.
    expect([a.stored, b.stored].sort()).toEqual([false, true]);
    expect(b.text).toBe(a.text);
    expect((await client.aube.recommendations.get.query()).stored).toBe(true);
  });

  it('writes the plan in the profile language', async () => {
    const { client } = await signUp(server, { label: 'planfr', locale: 'fr' });
    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ISFP, 1),
    });
    const plan = await client.aube.recommendations.get.query();
    expect(plan.locale).toBe('fr');
    expect(plan.steps[0]?.action).toMatch(/^Explorez le métier /);
  });
});

describe('aube.careers and aube.analytics', () => {
  it('tracks events, keeps the saved list in step and summarises them', async () => {
    const { client } = await signUp(server, { label: 'explorer' });
    await expectPhoenixError(
      client.aube.careers.track.mutate({ careerId: 'astronaut-chef', kind: 'viewed' }),
      { code: 'BAD_REQUEST', reason: 'UNKNOWN_CAREER', field: 'careerId' },
    );
    await expectPhoenixError(
      // @ts-expect-error: an unknown kind is refused by the input schema
      client.aube.careers.track.mutate({ careerId: 'chef', kind: 'liked' }),
      { code: 'BAD_REQUEST', field: 'kind' },
    );

    const track = (careerId: string, kind: 'viewed' | 'saved' | 'dismissed') =>
      client.aube.careers.track.mutate({ careerId, kind });
    await track('software-engineer', 'viewed');
    await track('software-engineer', 'viewed');
    await track('registered-nurse', 'viewed');
    expect(await track('software-engineer', 'saved')).toEqual({
      careerId: 'software-engineer',
      kind: 'saved',
      saved: true,
    });
    await track('registered-nurse', 'saved');
    await track('chef', 'saved');
    expect((await client.aube.careers.saved.query()).map((c) => c.careerId).sort()).toEqual([
      'chef',
      'registered-nurse',
      'software-engineer',
    ]);

    // A later dismissal takes a career off the list; so does an explicit unsave.
    expect(await track('registered-nurse', 'dismissed')).toMatchObject({ saved: false });
    expect(await client.aube.careers.unsave.mutate({ careerId: 'chef' })).toEqual({
      careerId: 'chef',
      removed: true,
    });
    expect(await client.aube.careers.unsave.mutate({ careerId: 'chef' })).toEqual({
      careerId: 'chef',
      removed: false,
    });
    const saved = await client.aube.careers.saved.query();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      careerId: 'software-engineer',
      title: 'Software engineer',
      growthOutlook: 'growing',
    });
    expect((await client.aube.careers.saved.query({ locale: 'fr' }))[0]?.title).toBe(
      'Ingénieur / Ingénieure logiciel',
    );

    await client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ENTJ, 1),
    });
    const stats = await client.aube.analytics.query();
    expect(stats).toMatchObject({
      diagnosticsTaken: 1,
      eventsByKind: { viewed: 3, saved: 3, dismissed: 1 },
      savedNow: 1,
      topViewed: [
        { careerId: 'software-engineer', title: 'Software engineer', views: 2 },
        { careerId: 'registered-nurse', views: 1 },
      ],
    });
    expect(stats.lastDiagnosticAt).toBeInstanceOf(Date);
    expect(stats.lastExploredAt).toBeInstanceOf(Date);
  });

  it('starts empty', async () => {
    const { client } = await signUp(server, { label: 'fresh' });
    expect(await client.aube.careers.saved.query()).toEqual([]);
    expect(await client.aube.analytics.query()).toEqual({
      diagnosticsTaken: 0,
      lastDiagnosticAt: null,
      eventsByKind: { viewed: 0, saved: 0, dismissed: 0 },
      savedNow: 0,
      topViewed: [],
      lastExploredAt: null,
    });
  });
});

describe('access', () => {
  it("keeps one user's data from another and opens it to administrators only", async () => {
    const alice = await signUp(server, { label: 'alice' });
    const bob = await signUp(server, { label: 'bob' });
    const mine = await alice.client.aube.diagnostic.submit.mutate({
      catalogVersion: VERSION,
      answers: leaning(ENTJ, 2),
    });
    await alice.client.aube.careers.track.mutate({ careerId: 'chef', kind: 'saved' });

    expect(await bob.client.aube.diagnostic.latest.query()).toBeNull();
    expect((await bob.client.aube.diagnostic.history.query()).items).toEqual([]);
    expect(await bob.client.aube.careers.saved.query()).toEqual([]);
    await expectPhoenixError(bob.client.aube.diagnostic.get.query({ id: mine.id }), {
      code: 'NOT_FOUND',
    });
    await expectPhoenixError(bob.client.aube.matches.query(), {
      code: 'NOT_FOUND',
      reason: 'NO_DIAGNOSTIC',
    });
    await expectPhoenixError(bob.client.aube.admin.history.query({ userId: alice.user.id }), {
      code: 'FORBIDDEN',
      reason: 'ADMIN_ONLY',
    });

    await server.deps.db
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', bob.user.id)
      .execute();
    await server.deps.auth.userChanged(bob.user.id);
    const seen = await bob.client.aube.admin.history.query({ userId: alice.user.id });
    expect(seen.items.map((d) => d.id)).toEqual([mine.id]);
  });

  it('lets a read-only API key read but not submit', async () => {
    const { client } = await signUp(server, { label: 'keyholder' });
    const { secret } = await client.auth.apiKeys.create.mutate({ name: 'ro', scopes: ['read'] });
    const readOnly = server.client(secret);
    expect(await readOnly.aube.diagnostic.latest.query()).toBeNull();
    await expectPhoenixError(
      readOnly.aube.diagnostic.submit.mutate({
        catalogVersion: VERSION,
        answers: leaning(ENTJ, 2),
      }),
      { code: 'FORBIDDEN', reason: 'API_KEY_SCOPE' },
    );
  });

  it('refuses anonymous callers everywhere but the questionnaire', async () => {
    const anonymous = server.client();
    const refused = { code: 'UNAUTHORIZED', reason: 'UNAUTHENTICATED' };
    await expectPhoenixError(
      anonymous.aube.diagnostic.submit.mutate({
        catalogVersion: VERSION,
        answers: leaning(ENTJ, 2),
      }),
      refused,
    );
    await expectPhoenixError(anonymous.aube.diagnostic.history.query(), refused);
    await expectPhoenixError(anonymous.aube.diagnostic.latest.query(), refused);
    await expectPhoenixError(anonymous.aube.matches.query(), refused);
    await expectPhoenixError(anonymous.aube.recommendations.get.query(), refused);
    await expectPhoenixError(
      anonymous.aube.careers.track.mutate({ careerId: 'chef', kind: 'viewed' }),
      refused,
    );
    await expectPhoenixError(anonymous.aube.careers.saved.query(), refused);
    await expectPhoenixError(anonymous.aube.analytics.query(), refused);
    await expectPhoenixError(
      anonymous.aube.admin.history.query({ userId: crypto.randomUUID() }),
      refused,
    );
  });
});
