import { Socket } from 'node:net';
import { closedPort } from '@phoenix/errors/testing';
import { describe, expect, it } from 'vitest';
import { isKvUnavailable } from './errors.ts';
import { RedisKv } from './redis.ts';

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
