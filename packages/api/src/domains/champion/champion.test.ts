import { Readable } from 'node:stream';
import { streamTrainingReply, watchChampionProgress } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { analysed, manualClock, startChampionServer, TRANSCRIPT } from './testing.ts';

/**
 * The whole flow on the offline provider (no keys), through the SDK: a pasted transcript,
 * the analysis job, patterns, similarity search, scenarios, a training session scored
 * turn by turn, and the refusals around it.
 */

const clock = manualClock();
let server: TestServer;

beforeAll(async () => {
  server = await startChampionServer({ clock });
});
afterAll(async () => {
  await server.close();
});

async function readyChampion(client: Awaited<ReturnType<typeof signUp>>['client'], name = 'Sam') {
  const created = await client.champions.createFromTranscript.mutate({
    name,
    transcript: TRANSCRIPT,
  });
  await client.champions.analyze.mutate({ id: created.id });
  const champion = await analysed(client, created.id);
  expect(champion).toMatchObject({ status: 'ready', progress: 100, failureReason: null });
  return champion;
}

/** A champion whose analysis runs on (as if its job were stuck): its streams stay open. */
async function runningChampion(client: Awaited<ReturnType<typeof signUp>>['client'], name: string) {
  const created = await client.champions.createFromTranscript.mutate({
    name,
    transcript: TRANSCRIPT,
  });
  await server.deps.db
    .updateTable('champions')
    .set({ status: 'analyzing' })
    .where('id', '=', created.id)
    .execute();
  return created;
}

describe('a champion from a pasted transcript, offline', () => {
  it('follows at most five progress streams per user at once; a closed one frees its place', async () => {
    const seller = await signUp(server, { label: 'watcher' });
    const other = await signUp(server, { label: 'other-watcher' });
    const created = await runningChampion(seller.client, 'Still running');
    const controllers: AbortController[] = [];
    const follow = (client = seller.client) => {
      const controller = new AbortController();
      controllers.push(controller);
      const stream = watchChampionProgress(
        client,
        { championId: created.id },
        { signal: controller.signal },
      );
      return { controller, first: stream.next() };
    };
    try {
      const open = Array.from({ length: 5 }, () => follow());
      for (const { first } of open) {
        expect((await first).value).toMatchObject({ status: 'analyzing' });
      }
      await expectPhoenixError(follow().first, {
        code: 'TOO_MANY_REQUESTS',
        reason: 'TOO_MANY_STREAMS',
      });
      // Another user's place is their own (the champion is not theirs: NOT_FOUND, not 429).
      await expectPhoenixError(follow(other.client).first, { code: 'NOT_FOUND' });
      open[0]?.controller.abort();
      await expect
        .poll(
          async () => {
            const again = follow();
            const outcome = await again.first.then(
              (r) => r.value?.status,
              () => 'refused',
            );
            again.controller.abort();
            return outcome;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe('analyzing');
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it('ends a progress stream after 30 minutes even while the analysis runs on', async () => {
    const seller = await signUp(server, { label: 'long-watcher' });
    const created = await runningChampion(seller.client, 'Stuck');
    const stream = watchChampionProgress(seller.client, { championId: created.id });
    expect((await stream.next()).value).toMatchObject({ status: 'analyzing' });
    clock.t += 30 * 60_000;
    // The next re-read (within 2 s) finds the stream's time is up.
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('is analysed into turns and patterns, with progress visible', async () => {
    const seller = await signUp(server, { label: 'flow' });
    const created = await seller.client.champions.createFromTranscript.mutate({
      name: 'Sam the closer',
      transcript: TRANSCRIPT,
    });
    expect(created).toMatchObject({ status: 'uploaded', source: 'transcript', progress: 25 });
    expect(created.steps.map((s) => s.state)).toEqual(['skipped', 'pending', 'pending', 'pending']);

    const progress = watchChampionProgress(seller.client, { championId: created.id });
    await seller.client.champions.analyze.mutate({ id: created.id });
    const seen: string[] = [];
    for await (const event of progress) seen.push(`${event.status}:${event.progress}`);
    expect(seen.at(-1)).toBe('ready:100');

    const champion = await seller.client.champions.get.query({ id: created.id });
    expect(champion.steps.map((s) => s.state)).toEqual(['skipped', 'done', 'done', 'done']);
    expect(champion.patternCount).toBeGreaterThanOrEqual(4);

    const transcript = await seller.client.champions.transcript.query({ id: created.id });
    expect(transcript.turns[0]).toMatchObject({
      speaker: 'champion',
      text: expect.stringContaining('Hi Alex'),
    });
    expect(transcript.turns[1]).toMatchObject({ speaker: 'prospect' });

    const patterns = await seller.client.champions.patterns.query({
      championId: created.id,
      limit: 100,
    });
    const kinds = new Set(patterns.items.map((p) => p.kind));
    for (const kind of [
      'opening',
      'discovery_question',
      'objection_handling',
      'closing_technique',
      'tone',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const objection = patterns.items.find((p) => p.kind === 'objection_handling');
    expect(objection?.objection).toContain('price');
    expect(objection?.answer).toContain('budget');
    expect(patterns.items.every((p) => p.embedded)).toBe(true);

    // Paging: two at a time reaches every pattern once.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await seller.client.champions.patterns.query({
        championId: created.id,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      paged.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(patterns.items.map((p) => p.id));
  });

  it("finds the nearest patterns across the caller's champions, by cosine in SQL", async () => {
    const seller = await signUp(server, { label: 'similar' });
    const first = await readyChampion(seller.client, 'First');
    const second = await readyChampion(seller.client, 'Second');
    const other = await signUp(server, { label: 'other' });
    await readyChampion(other.client, 'Not yours');

    const found = await seller.client.champions.similarPatterns.mutate({
      query: 'the price is too high for our budget',
      limit: 5,
    });
    expect(found.model).toBe('offline/phoenix-hash-embed-1');
    expect(found.items).toHaveLength(5);
    expect(found.items[0]?.kind).toBe('objection_handling');
    expect(new Set(found.items.map((p) => p.championId))).toEqual(new Set([first.id, second.id]));
    const scores = found.items.map((p) => p.similarity);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(0.2);
    expect(scores[0]).toBeLessThanOrEqual(1.000001);

    const openings = await seller.client.champions.similarPatterns.mutate({
      query: 'hello',
      kind: 'opening',
    });
    expect(openings.items.every((p) => p.kind === 'opening')).toBe(true);
  });

  it('generates versioned scenarios and trains against one, scoring every seller turn', async () => {
    const seller = await signUp(server, { label: 'trainee' });
    const champion = await readyChampion(seller.client);
    const { items } = await seller.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    expect(items.map((s) => s.difficulty).sort()).toEqual(['easy', 'hard', 'medium']);
    const easy = items.find((s) => s.difficulty === 'easy');
    if (!easy) throw new Error('no easy scenario');
    expect(easy).toMatchObject({ version: 1 });
    expect(easy.objections.length).toBeGreaterThanOrEqual(1);

    const session = await seller.client.training.start.mutate({
      championId: champion.id,
      scenarioId: easy.id,
    });
    expect(session).toMatchObject({
      status: 'running',
      sellerTurns: 0,
      scenario: { versionId: easy.versionId, version: 1 },
    });

    // A new generation is version 2; the running session keeps version 1.
    const again = await seller.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    expect(again.items.find((s) => s.id === easy.id)).toMatchObject({ version: 2 });
    const listed = await seller.client.champions.scenarios.list.query({ championId: champion.id });
    expect(listed.items).toHaveLength(3);

    const first = await seller.client.training.respond.mutate({
      sessionId: session.id,
      message: 'Hi, thanks for your time. What is the hardest part of onboarding your new sellers?',
    });
    expect(first.seller.score).toBeGreaterThanOrEqual(0);
    expect(first.seller.score).toBeLessThanOrEqual(100);
    expect(first.seller.feedback).toBeTruthy();
    expect(first.prospect.text.length).toBeGreaterThan(0);
    expect(first.session).toMatchObject({ sellerTurns: 1, status: 'running' });

    const events = [];
    for await (const event of streamTrainingReply(seller.client, {
      sessionId: session.id,
      message: 'I understand the budget concern: teams like yours cut ramp time by a third.',
    })) {
      events.push(event);
    }
    expect(events[0]?.type).toBe('turn');
    expect(events.some((e) => e.type === 'delta')).toBe(true);
    const result = events.at(-1);
    if (result?.type !== 'result') throw new Error('no result');
    expect(result.result.seller.score).toBeTypeOf('number');
    const streamed = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(result.result.prospect.text).toBe(streamed.trim());

    const ended = await seller.client.training.end.mutate({ sessionId: session.id });
    expect(ended).toMatchObject({ status: 'ended', endReason: 'ended', sellerTurns: 2 });
    const scores = ended.turns.flatMap((t) => (t.role === 'seller' ? [t.score ?? 0] : []));
    expect(ended.overallScore).toBe(Math.round(scores.reduce((a, b) => a + b, 0) / scores.length));
    expect(ended.strengths.length + ended.improvements.length).toBeGreaterThan(0);
    expect(ended.turns.map((t) => t.role)).toEqual(['seller', 'prospect', 'seller', 'prospect']);

    // Ending twice is harmless; answering an ended session is refused.
    expect(await seller.client.training.end.mutate({ sessionId: session.id })).toEqual(ended);
    await expectPhoenixError(
      seller.client.training.respond.mutate({ sessionId: session.id, message: 'Hello?' }),
      { code: 'CONFLICT', reason: 'TRAINING_SESSION_ENDED' },
    );
    const history = await seller.client.training.sessions.list.query({});
    expect(history.items.map((s) => s.id)).toEqual([session.id]);
    expect(await seller.client.training.sessions.get.query({ sessionId: session.id })).toEqual(
      ended,
    );
  });

  it('ends a session after its maximum length and after inactivity', async () => {
    const seller = await signUp(server, { label: 'limits' });
    const champion = await readyChampion(seller.client);
    const { items } = await seller.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    const scenarioId = items[0]?.id ?? '';
    const idle = await seller.client.training.start.mutate({ championId: champion.id, scenarioId });
    clock.t += server.deps.config.champion.training.inactivityMs;
    await expectPhoenixError(
      seller.client.training.respond.mutate({ sessionId: idle.id, message: 'Still there?' }),
      { code: 'CONFLICT', reason: 'TRAINING_SESSION_ENDED' },
    );
    expect(await seller.client.training.sessions.get.query({ sessionId: idle.id })).toMatchObject({
      status: 'ended',
      endReason: 'inactivity',
    });
  });

  it('is reachable over REST under /api', async () => {
    const seller = await signUp(server, { label: 'rest' });
    const headers = { authorization: `Bearer ${seller.token}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/api/champions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Over REST', transcript: TRANSCRIPT }),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(`${server.url}/api/champions/${id}`, { headers });
    expect(await read.json()).toMatchObject({ id, name: 'Over REST', status: 'uploaded' });
    const empty = await fetch(`${server.url}/api/champions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Empty', transcript: '' }),
    });
    expect(empty.status).toBe(400);
  });

  it('refuses what does not fit: empty transcript, analysis twice, training before ready', async () => {
    const seller = await signUp(server, { label: 'refusals' });
    await expectPhoenixError(
      seller.client.champions.createFromTranscript.mutate({ name: 'Empty', transcript: '' }),
      { code: 'BAD_REQUEST', field: 'transcript' },
    );
    await expectPhoenixError(
      seller.client.champions.createFromTranscript.mutate({ name: 'Blank', transcript: '   \n ' }),
      { code: 'BAD_REQUEST', field: 'transcript' },
    );
    await expectPhoenixError(
      seller.client.champions.createFromTranscript.mutate({
        name: 'x',
        transcript: 'y',
        // @ts-expect-error a misspelt key is refused, not ignored
        trancsript: 'z',
      }),
      { code: 'BAD_REQUEST' },
    );
    const created = await seller.client.champions.createFromTranscript.mutate({
      name: 'Fresh',
      transcript: TRANSCRIPT,
    });
    await expectPhoenixError(
      seller.client.champions.scenarios.generate.mutate({ championId: created.id }),
      { code: 'CONFLICT', reason: 'CHAMPION_NOT_READY' },
    );
    await seller.client.champions.analyze.mutate({ id: created.id });
    await analysed(seller.client, created.id);
    await expectPhoenixError(seller.client.champions.analyze.mutate({ id: created.id }), {
      code: 'CONFLICT',
      reason: 'CHAMPION_ALREADY_ANALYZED',
    });
    const page = await seller.client.champions.list.query({ limit: 1 });
    expect(page.items).toHaveLength(1);
    await expectPhoenixError(seller.client.champions.list.query({ cursor: 'garbage' }), {
      code: 'BAD_REQUEST',
      reason: 'BAD_CURSOR',
    });
  });

  it('deletes a champion with its derived data and files, never while it is trained', async () => {
    const seller = await signUp(server, { label: 'delete' });
    const champion = await readyChampion(seller.client);
    await server.deps.storage.put(
      `champions/${champion.id}/recording.webm`,
      Readable.from([Buffer.from([1, 2, 3])]),
    );
    const { items } = await seller.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    const session = await seller.client.training.start.mutate({
      championId: champion.id,
      scenarioId: items[0]?.id ?? '',
    });
    await expectPhoenixError(seller.client.champions.delete.mutate({ id: champion.id }), {
      code: 'CONFLICT',
      reason: 'CHAMPION_IN_TRAINING',
    });
    await seller.client.training.end.mutate({ sessionId: session.id });
    expect(await seller.client.champions.delete.mutate({ id: champion.id })).toEqual({ ok: true });
    expect(await server.deps.storage.stat(`champions/${champion.id}/recording.webm`)).toBeNull();
    await expectPhoenixError(seller.client.champions.get.query({ id: champion.id }), {
      code: 'NOT_FOUND',
    });
    const left = await server.deps.db
      .selectFrom('championPatterns')
      .select('id')
      .where('championId', '=', champion.id)
      .execute();
    expect(left).toEqual([]);
    await expectPhoenixError(seller.client.training.sessions.get.query({ sessionId: session.id }), {
      code: 'NOT_FOUND',
    });
  });

  it("answers NOT_FOUND for another user's champion, scenario and session, on every id", async () => {
    const owner = await signUp(server, { label: 'owner' });
    const intruder = await signUp(server, { label: 'intruder' });
    const champion = await readyChampion(owner.client);
    const { items } = await owner.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    const scenarioId = items[0]?.id ?? '';
    const session = await owner.client.training.start.mutate({
      championId: champion.id,
      scenarioId,
    });
    const c = intruder.client;
    const id = champion.id;
    const refusals: (() => Promise<unknown>)[] = [
      () => c.champions.get.query({ id }),
      () => c.champions.transcript.query({ id }),
      () => c.champions.analyze.mutate({ id }),
      () => c.champions.delete.mutate({ id }),
      () => c.champions.patterns.query({ championId: id }),
      () => c.champions.scenarios.generate.mutate({ championId: id }),
      () => c.champions.scenarios.list.query({ championId: id }),
      () => c.training.start.mutate({ championId: id, scenarioId }),
      () => c.training.respond.mutate({ sessionId: session.id, message: 'hi' }),
      () => c.training.end.mutate({ sessionId: session.id }),
      () => c.training.sessions.get.query({ sessionId: session.id }),
      () => c.training.sessions.list.query({ championId: id }),
    ];
    for (const call of refusals) await expectPhoenixError(call(), { code: 'NOT_FOUND' });
    // The intruder's own champion with the owner's scenario id: still not found.
    const mine = await readyChampion(c, 'Mine');
    await expectPhoenixError(c.training.start.mutate({ championId: mine.id, scenarioId }), {
      code: 'NOT_FOUND',
      field: 'scenarioId',
    });
    // Nothing of the owner's shows in the intruder's lists or searches.
    expect((await c.training.sessions.list.query({})).items).toEqual([]);
    const found = await c.champions.similarPatterns.mutate({ query: 'price budget' });
    expect(found.items.every((p) => p.championId === mine.id)).toBe(true);
  });

  it('lists every training session for administrators only, paginated', async () => {
    const admin = await signUp(server, { label: 'admin', role: 'admin' });
    const seller = await signUp(server, { label: 'listed' });
    const champion = await readyChampion(seller.client);
    const { items } = await seller.client.champions.scenarios.generate.mutate({
      championId: champion.id,
    });
    const a = await seller.client.training.start.mutate({
      championId: champion.id,
      scenarioId: items[0]?.id ?? '',
    });
    await seller.client.training.end.mutate({ sessionId: a.id });
    clock.t += 1_000;
    const b = await seller.client.training.start.mutate({
      championId: champion.id,
      scenarioId: items[1]?.id ?? '',
    });
    const page1 = await admin.client.admin.trainingSessions.list.query({
      userId: seller.id,
      limit: 1,
    });
    expect(page1.items.map((s) => s.id)).toEqual([b.id]);
    expect(page1.items[0]).toMatchObject({
      userId: seller.id,
      userEmail: seller.email,
      championName: champion.name,
    });
    const page2 = await admin.client.admin.trainingSessions.list.query({
      userId: seller.id,
      limit: 1,
      cursor: page1.nextCursor ?? '',
    });
    expect(page2.items.map((s) => s.id)).toEqual([a.id]);
    const running = await admin.client.admin.trainingSessions.list.query({
      userId: seller.id,
      status: 'running',
    });
    expect(running.items.map((s) => s.id)).toEqual([b.id]);
    await expectPhoenixError(seller.client.admin.trainingSessions.list.query({}), {
      code: 'FORBIDDEN',
    });
  });
});
