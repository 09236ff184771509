import { sql } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestServer, type TestServer } from '../../testing/index.ts';
import { runCommand } from './command.ts';
import { appendEvents, readStream } from './event-store.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const started = (title: string) => ({
  type: 'conversation.started' as const,
  payload: { conversationId: crypto.randomUUID(), title },
});
const append = (userId: string, expectedVersion: number, title: string) =>
  server.deps.db.transaction().execute((trx) =>
    appendEvents(trx, {
      userId,
      expectedVersion,
      tsMs: Date.now(),
      requestId: null,
      events: [started(title)],
    }),
  );

describe('luna event store', () => {
  it('serialises commands of other processes on the stream’s row lock', async () => {
    const { id } = await signUp(server, { label: 'lock' });
    const policy = { max: 5, regenPerHour: 1, perMessage: 1, perCelebration: 0 };
    const nowMs = Date.parse('2026-06-01T08:00:00Z');
    // A handle per command: each its own in-process queue, so, as commands of ten
    // processes would, they meet only at the row lock in the database.
    const spend = () =>
      runCommand(server.deps.db.withTables<Record<never, never>>(), {
        userId: id,
        policy,
        nowMs,
        requestId: null,
        decide: async ({ energy }) => {
          if (energy < 1)
            throw new DomainError('rate_limited', 'empty', { reason: 'LUNA_ENERGY_DEPLETED' });
          return {
            events: [
              {
                type: 'energy.changed',
                payload: { amount: -1, reason: 'message', balanceAfter: energy - 1 },
              },
            ],
            result: null,
          };
        },
      });
    const results = await Promise.allSettled(Array.from({ length: 10 }, spend));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of results) {
      if (r.status === 'rejected')
        expect(r.reason).toMatchObject({ reason: 'LUNA_ENERGY_DEPLETED' });
    }
    const txs = await server.deps.db
      .selectFrom('lunaEnergyTransactions')
      .select('balanceAfter')
      .where('userId', '=', id)
      .orderBy('eventVersion')
      .execute();
    expect(txs.map((t) => t.balanceAfter)).toEqual([4, 3, 2, 1, 0]);
    expect((await readStream(server.deps.db, id)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets one of two concurrent appends at the same version win; the other gets a typed conflict', async () => {
    const { id } = await signUp(server, { label: 'occ' });
    await append(id, 0, 'first');
    const results = await Promise.allSettled([append(id, 1, 'a'), append(id, 1, 'b')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]?.status === 'rejected' ? lost[0].reason : null;
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', reason: 'STREAM_VERSION_CONFLICT' });

    // Retried at the version it now reads, the loser lands: nothing lost, nothing duplicated.
    const stream = await readStream(server.deps.db, id);
    await append(id, stream.length, 'retried');
    const titles = (await readStream(server.deps.db, id)).map((e) =>
      e.event.type === 'conversation.started' ? e.event.payload.title : '',
    );
    expect(titles).toHaveLength(3);
    expect(titles[0]).toBe('first');
    expect(titles[2]).toBe('retried');
    expect((await readStream(server.deps.db, id)).map((e) => e.version)).toEqual([1, 2, 3]);
  });

  it('refuses updates, deletes and truncation in the database itself', async () => {
    const { id } = await signUp(server, { label: 'append-only' });
    await append(id, 0, 'kept');
    const { db } = server.deps;
    await expect(
      sql`update luna_events set type = 'x' where user_id = ${id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from luna_events where user_id = ${id}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate luna_events`.execute(db)).rejects.toThrow(/append-only/);
    expect(await readStream(db, id)).toHaveLength(1);
  });

  it('erasing the user takes their stream with it', async () => {
    const { id } = await signUp(server, { label: 'erased' });
    await append(id, 0, 'gone');
    await server.deps.db.deleteFrom('users').where('id', '=', id).execute();
    expect(await readStream(server.deps.db, id)).toEqual([]);
  });

  it('upcasts an old version when it reads it', async () => {
    const { id } = await signUp(server, { label: 'upcast' });
    const conversationId = crypto.randomUUID();
    const messageId = crypto.randomUUID();
    // A message.sent written by the first schema: `text`, and no sentiment.
    await server.deps.db
      .insertInto('lunaEvents')
      .values({
        userId: id,
        version: 1,
        type: 'message.sent',
        schemaVersion: 1,
        payload: JSON.stringify({ conversationId, messageId, text: 'I feel awful and sad' }),
        tsMs: Date.now(),
        requestId: null,
      })
      .execute();
    const [stored] = await readStream(server.deps.db, id);
    expect(stored?.event).toEqual({
      type: 'message.sent',
      payload: {
        conversationId,
        messageId,
        content: 'I feel awful and sad',
        sentiment: expect.objectContaining({ label: 'negative' }),
      },
    });
  });
});
