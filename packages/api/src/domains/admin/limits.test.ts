import { getErrorCode } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLimitKind } from '../../platform/rate-limits.ts';
import {
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startAdminTestServer({
    env: {
      ADMIN_READS_PER_MINUTE: '3',
      ADMIN_WRITES_PER_MINUTE: '2',
      ADMIN_DELETES_PER_MINUTE: '1',
      ADMIN_EXPORTS_PER_MINUTE: '1',
    },
  });
});
afterAll(() => server.close());

const limited = { code: 'TOO_MANY_REQUESTS', reason: 'RATE_LIMITED' };

describe('admin rate limits', () => {
  it('classifies calls by type and name', () => {
    expect(adminLimitKind('admin.users.list', 'query')).toBe('read');
    expect(adminLimitKind('admin.audit.export', 'query')).toBe('export');
    expect(adminLimitKind('admin.users.update', 'mutation')).toBe('write');
    expect(adminLimitKind('admin.notes.delete', 'mutation')).toBe('delete');
  });

  it('gives each administrator separate read, write, delete and export budgets', async () => {
    const a = await signUp(server, { label: 'limited', role: 'admin' });
    const b = await signUp(server, { label: 'other', role: 'admin' });
    const target = await signUp(server, { label: 'target' });

    for (let i = 0; i < 3; i++) await a.client.admin.users.list.query();
    await expectPhoenixError(a.client.admin.users.list.query(), limited);
    // Another administrator, and other kinds of call, are untouched.
    await b.client.admin.users.list.query();

    const note = await a.client.admin.notes.create.mutate({ userId: target.id, body: 'x' });
    await a.client.admin.notes.pin.mutate({ noteId: note.id, pinned: true });
    await expectPhoenixError(
      a.client.admin.notes.update.mutate({ noteId: note.id, body: 'y' }),
      limited,
    );

    await a.client.admin.notes.delete.mutate({ noteId: note.id });
    const again = await b.client.admin.notes.create.mutate({ userId: target.id, body: 'z' });
    await expectPhoenixError(a.client.admin.notes.delete.mutate({ noteId: again.id }), limited);

    const period = { from: new Date(Date.now() - 3_600_000), to: new Date() };
    await a.client.admin.audit.export.query(period);
    await expectPhoenixError(a.client.admin.audit.export.query(period), limited);

    const raw = await fetch(`${server.url}/trpc/admin.users.list`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts every call of a batch, not the request that carries them', async () => {
    const a = await signUp(server, { label: 'batcher', role: 'admin' });
    // Five reads at once: the SDK sends them as one batched request.
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        a.client.admin.users.list.query().then(
          () => 'ok',
          (error: unknown) => getErrorCode(error),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(2);
  });
});
