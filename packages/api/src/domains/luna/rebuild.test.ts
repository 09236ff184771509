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

describe('luna rebuild', () => {
  it('rebuilds projections equal to the live ones after a long random sequence of commands', async () => {
    const { client, id } = await signUp(server, { label: 'rebuild' });
    const next = random(13);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const conversations: string[] = [];
    const goals: string[] = [];
    const words = ['great', 'awful', 'tired', 'happy', 'triste', 'heureuse', 'ok', 'progress'];
    for (let step = 0; step < 80; step++) {
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
          const [unseen] = (await client.luna.celebrations.list.query()).items.filter(
            (c) => !c.seen,
          );
          if (unseen) await client.luna.celebrations.markSeen.mutate({ id: unseen.id });
        }
      } catch (error) {
        // Refusals (no energy, archived conversation) are part of a real sequence.
        expect(['LUNA_ENERGY_DEPLETED', 'CONVERSATION_ARCHIVED']).toContain(
          getErrorDetails(error)?.reason,
        );
      }
    }
    const live = await snapshot(id);
    expect(live.messages.length).toBeGreaterThan(10);
    expect(live.transactions.length).toBeGreaterThan(10);
    expect(live.narrative.length).toBeGreaterThan(0);
    expect(live.chapters.length).toBeGreaterThan(0);
    expect(live.proposals.length).toBeGreaterThan(0);

    // Damage the read models: the rebuild must restore them from the stream alone.
    const { db } = server.deps;
    await db.deleteFrom('lunaMessages').where('userId', '=', id).execute();
    await db.updateTable('lunaGoals').set({ progress: 0 }).where('userId', '=', id).execute();
    await db.updateTable('lunaEnergy').set({ balance: 0 }).where('userId', '=', id).execute();
    expect(await snapshot(id)).not.toEqual(live);

    const lines: string[] = [];
    const result = await rebuild(server.deps.db, server.deps.config, {
      userId: id,
      onProgress: (p) => lines.push(`${p.users}/${p.of} ${p.events}`),
    });
    expect(result.users).toBe(1);
    expect(lines).toHaveLength(1);
    expect(await snapshot(id)).toEqual(live);
  });
});
