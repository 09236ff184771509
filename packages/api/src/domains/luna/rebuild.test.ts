import { sql } from '@phoenix/db';
import { getErrorDetails } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestServer } from '../../testing/index.ts';
import { rebuild } from './index.ts';
import { manualClock, startLunaTestServer } from './testing.ts';

const clock = manualClock();
let server: TestServer;

beforeAll(async () => {
  server = await startLunaTestServer({
    clock,
    env: {
      LUNA_ENERGY_MAX_FREE: '30',
      LUNA_ENERGY_REGEN_PER_HOUR_FREE: '7',
      LUNA_ENERGY_PER_MESSAGE: '6',
    },
  });
});
afterAll(() => server.close());

/** A seeded generator: a failing sequence replays exactly. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every read model of one user, in a stable order (generated row ids left out). */
async function snapshot(userId: string) {
  const { db } = server.deps;
  const where = <T extends { where: (c: 'userId', op: '=', v: string) => T }>(q: T) =>
    q.where('userId', '=', userId);
  return {
    energy: await where(db.selectFrom('lunaEnergy').selectAll()).execute(),
    transactions: await where(
      db
        .selectFrom('lunaEnergyTransactions')
        .select(['eventVersion', 'reason', 'amount', 'balanceAfter', 'tsMs']),
    )
      .orderBy('eventVersion')
      .execute(),
    conversations: await where(db.selectFrom('lunaConversations').selectAll())
      .orderBy('id')
      .execute(),
    messages: await where(db.selectFrom('lunaMessages').selectAll()).orderBy('id').execute(),
    goals: await where(db.selectFrom('lunaGoals').selectAll()).orderBy('id').execute(),
    celebrations: await where(db.selectFrom('lunaCelebrations').selectAll())
      .orderBy('id')
      .execute(),
    chapters: await where(db.selectFrom('lunaChapters').selectAll()).orderBy('id').execute(),
    proposals: await where(db.selectFrom('lunaGoalProposals').selectAll()).orderBy('id').execute(),
    narrative: await where(db.selectFrom('lunaNarrativeVersions').selectAll())
      .orderBy('version')
      .execute(),
  };
}

type Client = Awaited<ReturnType<typeof signUp>>['client'];

/** `steps` random commands of one user, refusals included (no energy, an archived conversation). */
async function randomCommands(client: Client, options: { seed: number; steps: number }) {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const conversations: string[] = [];
  const goals: string[] = [];
  const words = ['great', 'awful', 'tired', 'happy', 'triste', 'heureuse', 'ok', 'progress'];
  for (let step = 0; step < options.steps; step++) {
    clock.t += Math.floor(next() * 40 * 60_000);
    const roll = next();
    try {
      if (roll < 0.15 || conversations.length === 0) {
        conversations.push((await client.luna.conversations.start.mutate({})).id);
      } else if (roll < 0.55) {
        const conversationId = pick(conversations) ?? '';
        await client.luna.messages.send.mutate({
          conversationId,
          content: `${pick(words)} ${pick(words)} ${step}`,
        });
      } else if (roll < 0.65) {
        goals.push(
          (
            await client.luna.goals.create.mutate({
              title: `goal ${step}`,
              target: 1 + (step % 3),
            })
          ).id,
        );
      } else if (roll < 0.85 && goals.length > 0) {
        await client.luna.goals.progress.mutate({ id: pick(goals) ?? '' });
      } else if (roll < 0.87) {
        await client.luna.conversations.archive.mutate({ id: pick(conversations) ?? '' });
      } else if (roll < 0.9) {
        const proposal = await client.luna.goals.propose.mutate();
        if (proposal)
          await client.luna.goals.answer.mutate({ id: proposal.id, accept: next() < 0.5 });
      } else if (roll < 0.92) {
        await client.luna.narrative.refresh.mutate();
      } else if (roll < 0.96) {
        await client.luna.narrative.writeChapter.mutate({
          title: `chapter ${step}`,
          body: `${pick(words)} days`,
          theme: pick(['health', 'work', null]) ?? undefined,
        });
      } else {
        const [unseen] = (await client.luna.celebrations.list.query()).items.filter((c) => !c.seen);
        if (unseen) await client.luna.celebrations.markSeen.mutate({ id: unseen.id });
      }
    } catch (error) {
      // Refusals (no energy, archived conversation) are part of a real sequence.
      expect(['LUNA_ENERGY_DEPLETED', 'CONVERSATION_ARCHIVED']).toContain(
        getErrorDetails(error)?.reason,
      );
    }
  }
}

/** Damages every read model of `userId`: only the stream can restore them. */
async function damage(userId: string) {
  const { db } = server.deps;
  await db.deleteFrom('lunaMessages').where('userId', '=', userId).execute();
  await db.deleteFrom('lunaCelebrations').where('userId', '=', userId).execute();
  await db.updateTable('lunaGoals').set({ progress: 0 }).where('userId', '=', userId).execute();
  await db.updateTable('lunaEnergy').set({ balance: 0 }).where('userId', '=', userId).execute();
}

/** The tables' identities and their keys and indexes, as the catalog states them. */
async function tableShapes() {
  const { rows } = await sql<{ table: string; oid: number; keys: string[]; indexes: string[] }>`
    select c.relname as table, c.oid::integer as oid,
      array(select conname || ' ' || pg_get_constraintdef(k.oid) from pg_constraint k
            where k.conrelid = c.oid order by conname) as keys,
      array(select pg_get_indexdef(i.indexrelid) from pg_index i
            where i.indrelid = c.oid order by 1) as indexes
    from pg_class c
    where left(c.relname, 5) = 'luna_' and c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace
    order by c.relname`.execute(server.deps.db);
  return rows;
}

describe('luna rebuild', () => {
  // Some 260 commands through HTTP: slow on a busy machine.
  it('replays every stream into fresh tables equal to the live ones after long random sequences', {
    timeout: 180_000,
  }, async () => {
    const users = [
      await signUp(server, { label: 'rebuild-a' }),
      await signUp(server, { label: 'rebuild-b', tier: 'PREMIUM' }),
    ];
    // Interleaved, so the streams' events are mixed in time.
    for (let round = 0; round < 3; round++) {
      for (const [i, user] of users.entries()) {
        await randomCommands(user.client, { seed: 13 + 7 * round + i, steps: 40 });
      }
    }
    const live = await Promise.all(users.map((u) => snapshot(u.id)));
    for (const models of live) {
      expect(models.messages.length).toBeGreaterThan(10);
      expect(models.transactions.length).toBeGreaterThan(10);
      expect(models.goals.length).toBeGreaterThan(0);
      expect(models.celebrations.length).toBeGreaterThan(0);
    }
    expect(live.some((m) => m.narrative.length > 0)).toBe(true);
    expect(live.some((m) => m.chapters.length > 0)).toBe(true);
    expect(live.some((m) => m.proposals.length > 0)).toBe(true);

    const before = await tableShapes();
    for (const user of users) await damage(user.id);
    expect(await snapshot(users[0]?.id ?? '')).not.toEqual(live[0]);

    // A stream that moves while the fresh tables fill (every stream is folded when the
    // last progress line comes) is caught up before the swap.
    const late = await signUp(server, { label: 'rebuild-late' });
    await randomCommands(late.client, { seed: 99, steps: 20 });
    const lines: string[] = [];
    let lateLive: Awaited<ReturnType<typeof snapshot>> | null = null;
    const result = await rebuild(server.deps.db, server.deps.config, {
      onProgress: async (p) => {
        lines.push(`${p.users}/${p.of} ${p.events}`);
        if (p.users !== p.of) return;
        await late.client.luna.goals.create.mutate({ title: 'during the rebuild' });
        lateLive = await snapshot(late.id);
      },
    });
    expect(result.caughtUp).toBe(1);
    expect(lateLive).not.toBeNull();
    expect(await snapshot(late.id)).toEqual(lateLive);
    expect(result.users).toBeGreaterThanOrEqual(3);
    expect(lines).toHaveLength(result.users);
    expect(lines.at(-1)).toBe(`${result.users}/${result.users} ${result.events}`);
    expect(await Promise.all(users.map((u) => snapshot(u.id)))).toEqual(live);

    // Fresh tables: every read model is a new table (the event store and the head rows
    // stay), with the same keys and indexes as the ones it replaced.
    const after = await tableShapes();
    const kept = new Set(['luna_events', 'luna_energy']);
    for (const [i, table] of after.entries()) {
      expect(table.table).toBe(before[i]?.table);
      expect({ keys: table.keys, indexes: table.indexes }).toEqual({
        keys: before[i]?.keys,
        indexes: before[i]?.indexes,
      });
      if (kept.has(table.table)) expect(table.oid).toBe(before[i]?.oid);
      else expect(table.oid).not.toBe(before[i]?.oid);
    }

    // The rebuilt models go on living: a command after the swap projects into them.
    const [first] = users;
    if (!first) throw new Error('no user');
    clock.t += 24 * 3_600_000;
    const { id: conversationId } = await first.client.luna.conversations.start.mutate({});
    await first.client.luna.messages.send.mutate({ conversationId, content: 'after the rebuild' });
    expect((await first.client.luna.messages.list.query({ conversationId })).items).toHaveLength(2);
  });

  it('rebuilds one user in place, leaving the others alone', async () => {
    const [a, b] = [
      await signUp(server, { label: 'one-a' }),
      await signUp(server, { label: 'one-b' }),
    ];
    await randomCommands(a.client, { seed: 101, steps: 60 });
    await randomCommands(b.client, { seed: 202, steps: 20 });
    const live = await snapshot(a.id);
    await damage(a.id);
    await damage(b.id);
    const damagedB = await snapshot(b.id);

    const lines: string[] = [];
    const result = await rebuild(server.deps.db, server.deps.config, {
      userId: a.id,
      onProgress: (p) => {
        lines.push(`${p.users}/${p.of} ${p.events}`);
      },
    });
    expect(result.users).toBe(1);
    expect(lines).toEqual([`1/1 ${result.events}`]);
    expect(await snapshot(a.id)).toEqual(live);
    expect(await snapshot(b.id)).toEqual(damagedB);
  });
});
