import type { Kv } from './kv.ts';
import { MemoryKv } from './memory.ts';
import { RedisKv } from './redis.ts';

export { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
export type {
  IncrementOptions,
  Kv,
  Lock,
  RateLimiterOptions,
  SetOptions,
  Unsubscribe,
} from './kv.ts';
export { MemoryKv } from './memory.ts';
export { RedisKv } from './redis.ts';

/** Redis when a URL is given, process memory otherwise. */
export function createKv(options: { redisUrl?: string | undefined; prefix?: string }): Kv {
  return options.redisUrl
    ? new RedisKv({ url: options.redisUrl, prefix: options.prefix ?? '' })
    : new MemoryKv({ prefix: options.prefix ?? '' });
}
