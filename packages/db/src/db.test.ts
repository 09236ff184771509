import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, migrateDown, migrateUp, migrationStatus, sql } from './index.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

describe('test database harness', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.close();
  });

  it('uses real Postgres when TEST_DATABASE_URL is set, PGlite otherwise', () => {
    expect(test.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    if (test.kind === 'postgres') expect(test.schema).toMatch(/^t_/);
  });

  it('is migrated, and migrating again applies nothing', async () => {
    const status = await migrationStatus(test.db);
    expect(status.every((m) => m.executedAt instanceof Date)).toBe(true);
    expect(await migrateUp(test.db)).toEqual([]);
  });

  it('applies again what a down reverted (the up-to-date shortcut sees a missing one)', async () => {
    const reverted = await migrateDown(test.db);
    expect(reverted).toHaveLength(1);
    expect(await migrateUp(test.db)).toEqual(reverted);
    expect(await migrateUp(test.db)).toEqual([]);
  });

  it('maps camelCase properties to snake_case columns and enforces case-insensitive email', async () => {
    const user = await test.db
      .insertInto('users')
      .values({ email: 'Ada@Example.com', displayName: 'Ada', passwordHash: 'x' })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(user.displayName).toBe('Ada');
    expect(user.role).toBe('user');
    expect(user.createdAt).toBeInstanceOf(Date);
    await expect(
      test.db
        .insertInto('users')
        .values({ email: 'ada@example.COM', displayName: 'Copy', passwordHash: 'x' })
        .execute(),
    ).rejects.toThrow(/users_email_lower_key/);
  });

  it('returns counts as numbers on both engines', async () => {
    const row = await test.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(row.n).toBe(1);
    const { rows } = await sql<{ big: number }>`select 9007199254740991::int8 as big`.execute(
      test.db,
    );
    expect(rows[0]?.big).toBe(9007199254740991);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      test.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({ email: 'tx@example.com', displayName: 'T', passwordHash: 'x' })
          .execute();
        await trx
          .insertInto('users')
          .values({ email: 'TX@example.com', displayName: 'T', passwordHash: 'x' })
          .execute();
      }),
    ).rejects.toThrow();
    const found = await test.db
      .selectFrom('users')
      .where('email', '=', 'tx@example.com')
      .selectAll()
      .execute();
    expect(found).toEqual([]);
  });
});

describe('embedded PGlite on disk', () => {
  it('keeps data across a restart and migrates down and up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phoenix-db-'));
    try {
      const first = await connect({ dataDir: dir });
      expect(await migrateUp(first.db)).toContain('0001_users');
      await first.db
        .insertInto('users')
        .values({ email: 'keep@example.com', displayName: 'K', passwordHash: 'x' })
        .execute();
      await first.close();

      const second = await connect({ dataDir: dir });
      expect(await migrateUp(second.db)).toEqual([]);
      const kept = await second.db.selectFrom('users').select('email').execute();
      expect(kept).toEqual([{ email: 'keep@example.com' }]);
      const reverted = await migrateDown(second.db);
      expect(reverted.length).toBe(1);
      expect((await migrationStatus(second.db)).at(-1)?.executedAt).toBeNull();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('0020_invoice_refunded_amount', () => {
  it('fills the largest refunded total of each Stripe top-up from the refund events applied', async () => {
    const test = await createTestDatabase();
    try {
      const { db } = test;
      const NAME = '0020_invoice_refunded_amount';
      const applied = async () =>
        (await migrationStatus(db)).find((m) => m.name === NAME)?.executedAt != null;
      while (await applied()) await migrateDown(db);
      const user = await db
        .insertInto('users')
        .values({ email: 'refunds@example.com', displayName: 'R', passwordHash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`
        insert into billing_invoices
          (user_id, provider, provider_ref, kind, credits, amount, currency, status, occurred_at)
        values (${user.id}, 'stripe', 'pi_a', 'top_up', 10000, 500, 'usd', 'paid', now()),
          (${user.id}, 'stripe', 'pi_b', 'top_up', 10000, 500, 'usd', 'paid', now()),
          (${user.id}, 'stripe', 'pi_c', 'top_up', 10000, 500, 'usd', 'paid', now())
      `.execute(db);
      const refundEvent = (id: string, status: string, charge: object) =>
        sql`
          insert into billing_events (provider, event_id, type, payload, provider_created_at, status)
          values ('stripe', ${id}, 'charge.refunded',
            ${JSON.stringify({ id, data: { object: charge } })}::jsonb, now(), ${status})
        `.execute(db);
      await refundEvent('evt_1', 'processed', { payment_intent: 'pi_a', amount_refunded: 100 });
      await refundEvent('evt_2', 'processed', { payment_intent: 'pi_a', amount_refunded: 300 });
      // Not applied: an ignored event does not count.
      await refundEvent('evt_3', 'ignored', { payment_intent: 'pi_a', amount_refunded: 400 });
      // An expanded payment intent.
      await refundEvent('evt_4', 'processed', {
        payment_intent: { id: 'pi_b' },
        amount_refunded: 200,
      });
      await migrateUp(db);
      const invoices = await db
        .selectFrom('billingInvoices')
        .select(['providerRef', 'refundedAmount'])
        .orderBy('providerRef')
        .execute();
      expect(invoices).toEqual([
        { providerRef: 'pi_a', refundedAmount: 300 },
        { providerRef: 'pi_b', refundedAmount: 200 },
        { providerRef: 'pi_c', refundedAmount: 0 },
      ]);
    } finally {
      await test.close();
    }
  });
});
