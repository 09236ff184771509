import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/**
 * patches/ioredis@5.11.1.patch: a pipeline's `length` is one getter on the prototype, not a
 * new closure per pipeline (which gave each pipeline a hidden class of its own and kept it
 * and its commands alive until a full GC). Fails if an upgrade drops the patch.
 */
describe('ioredis pipelines (patched)', () => {
  it('share one length getter, which reads the queue', () => {
    // Never connects: a pipeline is built and counted without a server.
    const redis = new Redis({ lazyConnect: true });
    try {
      const first = redis.pipeline().get('a').get('b');
      const second = redis.pipeline().get('c');
      expect(Object.getOwnPropertyDescriptor(first, 'length')).toBeUndefined();
      expect([first.length, second.length]).toEqual([2, 1]);
    } finally {
      redis.disconnect();
    }
  });
});
