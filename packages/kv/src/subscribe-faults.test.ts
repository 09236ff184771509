import { describe, expect, it } from 'vitest';
import { isKvUnavailable } from './errors.ts';
import { RedisKv } from './redis.ts';

/** Nothing listens on port 1: every connection is refused at once. */
const UNREACHABLE = 'redis://127.0.0.1:1';

describe('subscribing when Redis cannot be reached', () => {
  it('fails on the first refused connection, not after the command timeout', async () => {
    // A timeout far past the test's own: only failing on the connection error passes.
    const kv = new RedisKv({
      url: UNREACHABLE,
      timeouts: { connectMs: 1_000, commandMs: 600_000 },
    });
    try {
      const error = await kv.subscribe('news', () => {}).catch((e: unknown) => e);
      expect(isKvUnavailable(error)).toBe(true);
    } finally {
      await kv.close().catch(() => {});
    }
  });

  it('fails at once once the store is closed', async () => {
    const kv = new RedisKv({
      url: UNREACHABLE,
      timeouts: { connectMs: 1_000, commandMs: 600_000 },
    });
    await kv.close().catch(() => {});
    const error = await kv.subscribe('news', () => {}).catch((e: unknown) => e);
    expect(isKvUnavailable(error)).toBe(true);
  });
});
