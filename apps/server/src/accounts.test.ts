import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccount } from './accounts.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('create-admin on an existing account', () => {
  it('sets the role and password and ends the sessions the account had', async () => {
    const account = {
      email: 'taken-over@example.com',
      password: 'the first long passphrase',
      displayName: 'Ops',
      role: 'user' as const,
    };
    expect(await upsertAccount(database.db, account)).toBe('created');
    const { id } = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', account.email)
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('sessions')
      .values({ id: 'intruder', userId: id, secretHash: new Uint8Array(32) })
      .execute();

    const outcome = await upsertAccount(database.db, {
      ...account,
      email: 'Taken-Over@example.com',
      password: 'a new long passphrase',
      role: 'admin',
    });
    expect(outcome).toBe('updated');
    const user = await database.db
      .selectFrom('users')
      .select(['role', 'active'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ role: 'admin', active: true });
    const sessions = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('userId', '=', id)
      .execute();
    expect(sessions).toEqual([]);
  });
});
