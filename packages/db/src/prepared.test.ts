import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedStatement, sql } from './index.ts';
import { preparedName } from './prepared.ts';
import { createTestDatabase, type TestDatabase } from './testing/index.ts';

describe('prepared statements', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    // One connection, so every statement below runs on the one that prepared it.
    test = await createTestDatabase({ url: process.env.TEST_DATABASE_URL, poolMax: 1 });
  });
  afterAll(async () => {
    await test.close();
  });

  const double = preparedStatement<{ n: number }, { twice: number }>(
    'test.double',
    (p) => sql`select ${p.n}::int * 2 as twice`,
  );

  it('reads the name from the statement text, and only from its start', () => {
    expect(preparedName('/* prepared: gateway.close */ with x as (select 1) select 1')).toBe(
      'gateway.close',
    );
    expect(preparedName('select 1 /* prepared: late */')).toBeUndefined();
    expect(preparedName('/* prepared: Bad Name */ select 1')).toBeUndefined();
  });

  it('gives each parameter its value by name, however often the SQL uses it', async () => {
    const spread = preparedStatement<{ a: string; b: number }, { x: string; y: number; z: string }>(
      'test.spread',
      (p) => sql`select ${p.a}::text as x, ${p.b}::int + 1 as y, ${p.a}::text || '!' as z`,
    );
    expect((await spread.execute(test.db, { b: 41, a: 'hi' })).rows).toEqual([
      { x: 'hi', y: 42, z: 'hi!' },
    ]);
  });

  it('refuses a second statement under a name already given', () => {
    expect(() =>
      preparedStatement<{ n: number }, { twice: number }>(
        'test.double',
        (p) => sql`select ${p.n}::int + ${p.n} as twice`,
      ),
    ).toThrow(/already exists/);
  });

  it('refuses a value written into the SQL instead of a parameter', async () => {
    const inline = preparedStatement<object, { n: number }>(
      'test.inline',
      () => sql`select ${7} as n`,
    );
    await expect(inline.execute(test.db, {})).rejects.toThrow(/not a parameter/);
  });

  it('answers with each call its own parameters, on both engines', async () => {
    const answers = [];
    for (const n of [1, 2, 3]) answers.push((await double.execute(test.db, { n })).rows[0]?.twice);
    expect(answers).toEqual([2, 4, 6]);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'is parsed once per connection on Postgres, under its name',
    async () => {
      for (const n of [4, 5]) await double.execute(test.db, { n });
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where name = 'test.double'`.execute(
        test.db,
      );
      expect(rows).toEqual([
        {
          name: 'test.double',
          statement: expect.stringMatching(/^\/\* prepared: test.double \*\//),
        },
      ]);
    },
  );

  it.runIf(process.env.TEST_DATABASE_URL)(
    'is sent as plain text when prepared statements are turned off (a pooler without them)',
    async () => {
      await using plain = await createTestDatabase({
        url: process.env.TEST_DATABASE_URL,
        poolMax: 1,
        preparedStatements: false,
      });
      expect((await double.execute(plain.db, { n: 21 })).rows).toEqual([{ twice: 42 }]);
      const { rows } = await sql`select name from pg_prepared_statements`.execute(plain.db);
      expect(rows).toEqual([]);
    },
  );

  it('a statement that failed to prepare is prepared again once it can be', async () => {
    const read = preparedStatement<object, { n: number }>(
      'test.late-table',
      () => sql`select count(*)::int as n from late_table`,
    );
    await expect(read.execute(test.db, {})).rejects.toThrow(/late_table/);
    await sql`create table late_table (id int)`.execute(test.db);
    try {
      expect((await read.execute(test.db, {})).rows).toEqual([{ n: 0 }]);
    } finally {
      await sql`drop table late_table`.execute(test.db);
    }
  });
});
