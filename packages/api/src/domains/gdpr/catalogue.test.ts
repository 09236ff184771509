import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uncoveredUserColumns, userColumns } from '../../platform/personal-data/index.ts';
import { appPersonalData } from '../../root.ts';

/**
 * Reads the database catalogue (pg_catalog foreign keys, information_schema names) and
 * fails on any column that references a user and that no domain's personal data
 * declaration lists: a table added next year cannot be forgotten by the export or erasure.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('personal data catalogue', () => {
  it('finds the user columns of the schema (foreign keys and names)', async () => {
    const found = await userColumns(database.db);
    const names = found.map((c) => `${c.table}.${c.column}`);
    expect(names).toContain('kaizen_actions.user_id');
    expect(names).toContain('email_logs.to_email');
    expect(found.find((c) => c.table === 'luna_events')?.why).toBe('foreign key');
  });

  it('every user column is covered by a declaration', async () => {
    expect(await uncoveredUserColumns(database.db, appPersonalData)).toEqual([]);
  });

  it('fails on a new table nobody declared', async () => {
    await database.db.schema
      .createTable('forgotten_things')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('owner', 'uuid', (c) => c.references('users.id'))
      .addColumn('contact_email', 'text')
      .execute();
    try {
      const missing = await uncoveredUserColumns(database.db, appPersonalData);
      expect(missing).toEqual([
        { table: 'forgotten_things', column: 'contact_email', why: 'name' },
        { table: 'forgotten_things', column: 'owner', why: 'foreign key' },
      ]);
    } finally {
      await database.db.schema.dropTable('forgotten_things').execute();
    }
  });

  it('each declared table exists, and each kept table names its legal basis', async () => {
    const tables = new Set((await userColumns(database.db)).map((c) => c.table));
    const { rows } = await import('@phoenix/db').then(({ sql }) =>
      sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = current_schema()
      `.execute(database.db),
    );
    const existing = new Set(rows.map((r) => r.name));
    for (const d of appPersonalData) {
      for (const [table, t] of Object.entries(d.tables)) {
        expect(existing.has(table), `${d.domain} declares ${table}`).toBe(true);
        if (t.erasure.kind === 'pseudonymise')
          expect(t.erasure.legalBasis.length).toBeGreaterThan(10);
      }
    }
    expect(tables.size).toBeGreaterThan(20);
  });
});
