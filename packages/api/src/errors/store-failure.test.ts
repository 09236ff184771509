import http from 'node:http';
import { connect, sql } from '@phoenix/db';
import { createTestDatabase } from '@phoenix/db/testing';
import { closedPort } from '@phoenix/errors/testing';
import { ProviderError } from '@phoenix/gateway';
import { describe, expect, it } from 'vitest';
import { asDomainError } from './store-failure.ts';

async function rejection(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

describe('asDomainError: which store failed', () => {
  it("answers a provider's network failure as itself, not as a store that is down", async () => {
    const port = await closedPort();
    // What node:http raises for a provider that cannot be reached, wrapped as the gateway does.
    const socket = await rejection(
      new Promise((_, reject) => {
        http.request({ host: '127.0.0.1', port, method: 'POST' }).on('error', reject).end();
      }),
    );
    expect(socket).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    const provider = new ProviderError({
      provider: 'openai',
      kind: 'network',
      message: `openai could not be reached: ${socket.message}`,
      cause: socket,
    });
    // A service that let it escape (a bug): a 500 with its own cause, never a 503 for a store.
    const escaped = new Error('Could not summarise the call', { cause: provider });
    expect(asDomainError(escaped, 5)).toBeNull();
    expect(asDomainError(provider, 5)).toBeNull();
    expect(asDomainError(socket, 5)).toBeNull();
  });

  it("answers Postgres's own socket error as DATABASE_UNAVAILABLE, wrapped or not", async () => {
    const database = await connect({
      url: `postgres://phoenix@127.0.0.1:${await closedPort()}/phoenix`,
      timeouts: { connectMs: 2_000, statementMs: 2_000 },
    });
    try {
      const error = await rejection(sql`select 1`.execute(database.db));
      expect(error).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
      for (const thrown of [error, new Error('Could not load the profile', { cause: error })]) {
        expect(asDomainError(thrown, 5)).toMatchObject({
          kind: 'unavailable',
          reason: 'DATABASE_UNAVAILABLE',
          retryAfterSeconds: 5,
        });
      }
    } finally {
      await database.close();
    }
  });
});

describe('asDomainError: a value Postgres refuses', () => {
  it('is the caller’s bad input (400), in its own words, never the database’s', async () => {
    const database = await createTestDatabase({ url: process.env.TEST_DATABASE_URL });
    try {
      const refusals = [
        sql`select ${'a\u0000b'}::text as t`,
        sql`select ${2 ** 31}::int4 as n`,
        sql`select ${'not a number'}::int8 as n`,
      ];
      for (const statement of refusals) {
        const error = await rejection(statement.execute(database.db));
        const wrapped = new Error('while saving', { cause: error });
        for (const thrown of [error, wrapped]) {
          const domain = asDomainError(thrown, 5);
          expect(domain).toMatchObject({ kind: 'invalid', reason: 'VALIDATION_FAILED' });
          expect(domain?.message).toBe('A value in the request cannot be stored');
        }
      }
      // A statement that is wrong (our bug, not the caller's input) stays a 500, even a data
      // exception no caller's value causes.
      const bug = await rejection(sql`select * from no_such_table`.execute(database.db));
      expect(asDomainError(bug, 5)).toBeNull();
      const division = await rejection(sql`select 1 / ${0}::int as n`.execute(database.db));
      expect(division).toMatchObject({ code: '22012' });
      expect(asDomainError(division, 5)).toBeNull();
    } finally {
      await database.close();
    }
  });
});
