import { randomBytes } from 'node:crypto';
import type { Kv } from './kv.ts';
import { MemoryKv } from './memory.ts';
import { RedisKv, type RedisKvOptions } from './redis.ts';

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
  constructor(options: RedisKvOptions & { prefix: string }) {
    super(options);
    this.prefix = options.prefix;
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
 * stores, as two server processes on one Redis would; a URL and client options to reach
 * Redis another way (through a fault proxy).
 */
export function createTestKv(
  options: { prefix?: string } & Partial<Omit<RedisKvOptions, 'prefix'>> = {},
): TestKv {
  const { prefix = testKvPrefix(), url = process.env.TEST_REDIS_URL, ...rest } = options;
  return url ? new TestRedisKv({ ...rest, url, prefix }) : new TestMemoryKv(prefix);
}
