import { sql } from '@phoenix/db';
import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGrant } from './credits.service.ts';

describe('applyGrant', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase({ url: process.env.TEST_DATABASE_URL });
  });
  afterAll(async () => {
    await test.close();
  });

  const newUser = async () =>
    (
      await test.db
        .insertInto('users')
        .values({
          email: `grant-${crypto.randomUUID()}@example.com`,
          displayName: 'G',
          passwordHash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  // PGlite runs one statement at a time: two transactions cannot overlap there.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'lands two first grants that race for a user with no balance yet',
    async () => {
      const userId = await newUser();
      let second: Promise<number> | undefined;
      let secondPid: number | undefined;
      const first = test.db.transaction().execute(async (trx) => {
        const balance = await applyGrant(trx, { userId, amount: 100, kind: 'grant' });
        // The second grant starts while this one holds its new, uncommitted balance row, and
        // this one commits only once the second waits on that row's key.
        second = test.db.transaction().execute(async (other) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
            other,
          );
          secondPid = rows[0]?.pid;
          return applyGrant(other, { userId, amount: 50, kind: 'grant' });
        });
        for (let waited = 0; ; waited++) {
          const { rows } = await sql<{ waiting: string | null }>`
            select wait_event_type as waiting from pg_stat_activity where pid = ${secondPid ?? 0}
          `.execute(test.db);
          if (rows[0]?.waiting === 'Lock') break;
          if (waited > 500) throw new Error('the second grant never waited on the first');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return balance;
      });
      expect(await first).toBe(100);
      expect(await second).toBe(150);
      const row = await test.db
        .selectFrom('creditBalances')
        .select('balance')
        .where('userId', '=', userId)
        .executeTakeFirstOrThrow();
      expect(row.balance).toBe(150);
    },
  );

  it('starts a balance with a first grant, and adds to it after', async () => {
    const userId = await newUser();
    await test.db
      .transaction()
      .execute((trx) => applyGrant(trx, { userId, amount: 30, kind: 'grant' }));
    const after = await test.db
      .transaction()
      .execute((trx) => applyGrant(trx, { userId, amount: 12, kind: 'grant' }));
    expect(after).toBe(42);
  });
});
