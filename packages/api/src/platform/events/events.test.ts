import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveAndOpen } from '../../domains/gateway/ledger-statements.ts';
import { settleAndWarnLow } from '../../domains/gateway/low-credits.ts';
import type { TestServer } from '../../testing/index.ts';
import { PASSWORD, signUp, startAdminTestServer } from '../../testing/index.ts';
import type { DomainEvent, EventType } from './index.ts';

const WAIT = { timeout: 30_000, interval: 100 };

let server: TestServer;
const received: DomainEvent[] = [];
const of = <T extends EventType>(type: T, userId: string) =>
  received.filter(
    (event): event is DomainEvent<T> =>
      event.type === type && (event.payload as { userId?: string }).userId === userId,
  );

beforeAll(async () => {
  server = await startAdminTestServer({ worker: true, env: { CREDITS_LOW_THRESHOLD: '100' } });
  for (const type of [
    'user.registered',
    'user.login',
    'user.updated',
    'credits.granted',
    'credits.low',
  ] as const) {
    server.deps.events.on(type, 'test-recorder', async (_deps, event) => {
      received.push(event);
    });
  }
});
afterAll(() => server.close());

const eventRows = (type: string) =>
  server.deps.db.selectFrom('domainEvents').selectAll().where('type', '=', type).execute();

describe('domain events', () => {
  it('are delivered to subscribers after the write commits', async () => {
    const u = await signUp(server, { label: 'events' });
    await expect.poll(() => of('user.registered', u.id).length, WAIT).toBe(1);
    expect(of('user.registered', u.id)[0]?.payload).toEqual({
      userId: u.id,
      email: u.email,
      displayName: 'events',
    });

    await server.client().auth.login.mutate({ email: u.email, password: PASSWORD });
    await u.client.auth.updateProfile.mutate({ displayName: 'renamed' });
    await expect.poll(() => of('user.login', u.id).length, WAIT).toBe(1);
    await expect.poll(() => of('user.updated', u.id).length, WAIT).toBe(1);
    expect(of('user.updated', u.id)[0]?.payload.fields).toEqual(['displayName']);

    const admin = await signUp(server, { label: 'events-admin', role: 'admin' });
    await admin.client.gateway.admin.grantCredits.mutate({
      userId: u.id,
      amount: 25,
      note: 'test',
    });
    await expect.poll(() => of('credits.granted', u.id).length, WAIT).toBe(1);
    expect(of('credits.granted', u.id)[0]?.payload).toMatchObject({ amount: 25, kind: 'grant' });
  });

  it('a rolled-back write emits nothing', async () => {
    const u = await signUp(server, { label: 'rollback' });
    await expect.poll(() => of('user.registered', u.id).length, WAIT).toBe(1);
    const before = (await eventRows('user.updated')).length;
    await expect(
      server.deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ displayName: 'never' })
          .where('id', '=', u.id)
          .execute();
        await server.deps.events.emit(trx, {
          type: 'user.updated',
          payload: { userId: u.id, fields: ['displayName'] },
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await eventRows('user.updated')).toHaveLength(before);
    // A later committed change is delivered; the rolled-back one never is.
    await u.client.auth.updateProfile.mutate({ locale: 'fr' });
    await expect.poll(() => of('user.updated', u.id).length, WAIT).toBe(1);
    expect(of('user.updated', u.id)[0]?.payload.fields).toEqual(['locale']);
  });

  it('refuses an emit outside a transaction', async () => {
    await expect(
      server.deps.events.emit(server.deps.db, {
        type: 'user.login',
        payload: { userId: crypto.randomUUID() },
      }),
    ).rejects.toThrow(/transaction/);
  });

  it('credits.low: once, when a settle takes the balance under the threshold', async () => {
    const u = await signUp(server, { label: 'low' }); // signup credits (10,000) are far above 100
    const call = async (reserved: number, charged: number) => {
      const id = crypto.randomUUID();
      await reserveAndOpen(server.deps.db, {
        id,
        userId: u.id,
        apiKeyId: null,
        route: 'chat.test',
        prompt: null,
        reserved,
        idempotencyKey: null,
      });
      await settleAndWarnLow(server.deps, {
        id,
        capability: 'chat',
        userId: u.id,
        refund: reserved - charged,
        charged,
        status: 'ok',
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1,
        outputTokens: 1,
        latencyMs: 1,
        attempts: '[]',
        response: null,
      });
    };
    await call(9_900, 9_850); // 10,000 -> 150: still above
    await call(100, 60); // 150 -> 90: crosses
    await call(50, 10); // 90 -> 80: already under, no second warning
    await expect.poll(() => of('credits.low', u.id).length, WAIT).toBe(1);
    expect(of('credits.low', u.id)[0]?.payload).toEqual({
      userId: u.id,
      balance: 90,
      threshold: 100,
    });
    expect((await eventRows('credits.low')).length).toBe(1);
  });
});
