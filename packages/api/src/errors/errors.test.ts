import { invalid } from '@phoenix/errors';
import { type ErrorReason, getErrorReason } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, startTestServer, type TestServer } from '../testing/index.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('error shape', () => {
  it('answers an output that fails its own schema as a bare 500, and records it', async () => {
    const { token } = await server.client().auth.register.mutate({
      email: `output-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
      displayName: 'O',
    });
    const signedIn = server.client(token);
    await signedIn.auth.apiKeys.create.mutate({ name: 'k', scopes: ['read'] });
    // Data the output schema does not allow (no database constraint stops it): a server bug.
    await server.deps.db
      .updateTable('apiKeys')
      .set({ scopes: ['read', 'everything'] as never })
      .execute();

    const details = await expectPhoenixError(signedIn.auth.apiKeys.list.query({}), {
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(details).toMatchObject({
      message: `Internal server error (request ${details.requestId})`,
      httpStatus: 500,
      reason: null,
      fieldErrors: null,
      path: 'auth.apiKeys.list',
    });
    expect(JSON.stringify(details)).not.toMatch(/scopes|everything/);

    // In the admin error log, with the request id the caller was given.
    await expect
      .poll(() =>
        server.deps.db
          .selectFrom('adminErrors')
          .select(['path', 'lastRequestId'])
          .where('path', '=', 'auth.apiKeys.list')
          .executeTakeFirst(),
      )
      .toEqual({ path: 'auth.apiKeys.list', lastRequestId: details.requestId });
  });

  it('still answers bad input as VALIDATION_FAILED with field paths', async () => {
    const details = await expectPhoenixError(
      server.client().auth.login.mutate({ email: 'not an email', password: 'x' }),
      { code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED', field: 'email' },
    );
    expect(details.httpStatus).toBe(400);
  });

  it('types reasons as a closed union a client can switch on', async () => {
    const error = await server
      .client()
      .auth.login.mutate({ email: 'nobody@example.com', password: 'wrong password' })
      .catch((e: unknown) => e);
    const reason = getErrorReason(error);
    expect(reason).toBe('INVALID_CREDENTIALS');
    const describe = (r: ErrorReason | undefined): string => {
      switch (r) {
        case 'INVALID_CREDENTIALS':
          return 'wrong email or password';
        default:
          return 'other';
      }
    };
    expect(describe(reason)).toBe('wrong email or password');
    // @ts-expect-error a reason that is not in the list does not compile
    invalid('x', { reason: 'NOT_A_REASON' });
  });
});
