import { createServer, type Server, Socket } from 'node:net';
import { closedPort } from '@phoenix/errors/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type DatabaseHandle, isDatabaseUnavailable, sql } from './index.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

const TIMEOUTS = { connectMs: 2_000, statementMs: 2_000 };

function listen(server: Server): Promise<number> {
  open.push({ close: () => new Promise((done) => server.close(() => done())) });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

async function postgres(port: number): Promise<DatabaseHandle> {
  const handle = await connect({
    url: `postgres://phoenix@127.0.0.1:${port}/phoenix`,
    timeouts: TIMEOUTS,
  });
  open.push({ close: () => handle.close() });
  return handle;
}

async function failure(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

/** Every error in the chain, as the store-failure classifier walks it. */
function chain(error: unknown): Error[] {
  const errors: Error[] = [];
  for (let current = error; current instanceof Error; current = current.cause) errors.push(current);
  return errors;
}

/**
 * The smallest Postgres node-postgres will talk to: it trusts the startup message, says
 * ready, and resets the connection (TCP RST) on the first query, as a crashed server would.
 */
async function resettingPostgres(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let started = false;
    socket.on('data', () => {
      if (started) {
        socket.resetAndDestroy();
        return;
      }
      started = true;
      const authOk = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]); // 'R', AuthenticationOk
      const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]); // 'Z', ReadyForQuery (idle)
      socket.write(Buffer.concat([authOk, ready]));
    });
  });
  const port = await listen(server);
  open.push({
    close: async () => {
      for (const s of sockets) s.destroy();
    },
  });
  return port;
}

describe('isDatabaseUnavailable', () => {
  it("counts node-postgres's socket errors: a refused connection", async () => {
    const { db } = await postgres(await closedPort());
    const error = await failure(sql`select 1`.execute(db));
    // The socket's own error, as node-postgres and pg-pool hand it on.
    expect(error).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("counts node-postgres's socket errors: a connection reset during a query", async () => {
    const { db } = await postgres(await resettingPostgres());
    const error = await failure(sql`select 1`.execute(db));
    expect(error).toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The broken connection is dropped: the next statement fails the same way, not worse.
    const again = await failure(sql`select 1`.execute(db));
    expect(isDatabaseUnavailable(again)).toBe(true);
  });

  it("does not count another peer's socket error, raw or wrapped in a cause chain", async () => {
    const port = await closedPort();
    // A raw socket error of some other client (SMTP, a webhook target, a client's upload).
    const raw = await new Promise<Error>((resolve) => {
      const socket = new Socket();
      socket.on('error', resolve);
      socket.connect(port, '127.0.0.1');
    });
    expect(raw).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(raw)).toBe(false);
    // A provider call that failed, wrapped as the gateway does (fetch's TypeError, its cause).
    const fetched = await failure(fetch(`http://127.0.0.1:${port}/v1/chat/completions`));
    const wrapped = new Error('The AI provider could not be reached', { cause: fetched });
    expect(chain(wrapped).map((e) => e.constructor.name)).toEqual(['Error', 'TypeError', 'Error']);
    expect(chain(wrapped).at(-1)).toMatchObject({ code: 'ECONNREFUSED' });
    expect(chain(wrapped).some((e) => isDatabaseUnavailable(e))).toBe(false);
  });

  it('still counts SQLSTATEs and the driver messages that carry no code', () => {
    const sqlstate = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    expect(isDatabaseUnavailable(sqlstate)).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isDatabaseUnavailable(unique)).toBe(false);
  });
});
