import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import { up } from './0010_users_known_time_zone.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.close());

it('gives stored zones Postgres cannot read its own spelling, or UTC', async () => {
  const stored = ['US/Pacific-New', '+14:00', 'europe/paris', 'Asia/Tokyo', 'localtime'];
  await test.db
    .insertInto('users')
    .values(
      stored.map((timeZone, i) => ({
        email: `tz${i}@example.com`,
        displayName: 'Z',
        passwordHash: 'x',
        timeZone,
      })),
    )
    .execute();
  await up(test.db as unknown as Kysely<unknown>);
  const rows = await test.db
    .selectFrom('users')
    .select(['email', 'timeZone'])
    .orderBy('email')
    .execute();
  expect(rows.map((r) => r.timeZone)).toEqual(['UTC', 'UTC', 'Europe/Paris', 'Asia/Tokyo', 'UTC']);
});
