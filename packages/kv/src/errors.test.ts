import { createServer, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isKvUnavailable } from './errors.ts';
import { RedisKv } from './redis.ts';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  await new Promise((done) => server.close(done));
  return port;
}

describe('isKvUnavailable', () => {
  it("counts a socket error our Redis client raised, not another peer's", async () => {
    const port = await closedPort();
    const raised = await new Promise<Error>((resolve) => {
      const kv = new RedisKv({
        url: `redis://127.0.0.1:${port}`,
        onConnectionError: (error) => {
          resolve(error);
          void kv.close().catch(() => {});
        },
      });
    });
    // ioredis hands on the socket's own error.
    expect(raised).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(isKvUnavailable(raised)).toBe(true);

    const other = await new Promise<Error>((resolve) => {
      const socket = new Socket();
      socket.on('error', resolve);
      socket.connect(port, '127.0.0.1');
    });
    expect(other).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(isKvUnavailable(other)).toBe(false);
    expect(isKvUnavailable(new Error('SMTP failed', { cause: other }))).toBe(false);
  });
});
