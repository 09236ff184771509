import { randomBytes } from 'node:crypto';
import type { Kv } from './kv.ts';
import { MemoryKv } from './memory.ts';
import { RedisKv } from './redis.ts';

export type TestKv = Kv & AsyncDisposable & { readonly prefix: string };

class TestMemoryKv extends MemoryKv implements TestKv {
  readonly prefix: string;
  constructor(prefix: string) {
    super({ prefix });
    this.prefix = prefix;
  }
  [Symbol.asyncDispose]() {
    return this.close();
  }
}

class TestRedisKv extends RedisKv implements TestKv {
  readonly prefix: string;
  constructor(url: string, prefix: string) {
    super({ url, prefix });
    this.prefix = prefix;
  }
  override async close() {
    await this.deleteAllWithPrefix();
    await super.close();
  }
  [Symbol.asyncDispose]() {
    return this.close();
  }
}

export function testKvPrefix(): string {
  return `test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/**
 * A store for one test file: the Redis named by TEST_REDIS_URL under a prefix of its
 * own (its keys deleted on close), or memory. Pass a prefix to share keys between two
 * stores, as two server processes on one Redis would.
 */
export function createTestKv(options: { prefix?: string } = {}): TestKv {
  const prefix = options.prefix ?? testKvPrefix();
  const url = process.env.TEST_REDIS_URL;
  return url ? new TestRedisKv(url, prefix) : new TestMemoryKv(prefix);
}
