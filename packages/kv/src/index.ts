import type { Kv } from './kv.ts';
import { MemoryKv } from './memory.ts';
import { RedisKv, type RedisTimeouts } from './redis.ts';

export { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
export { isKvUnavailable } from './errors.ts';
export type {
  Increment,
  IncrementOptions,
  Kv,
  Lock,
  RateLimiterOptions,
  SetOptions,
  Unsubscribe,
} from './kv.ts';
export { MemoryKv } from './memory.ts';
export {
  DEFAULT_REDIS_TIMEOUTS,
  RedisKv,
  type RedisKvOptions,
  type RedisTimeouts,
} from './redis.ts';

/** Redis when a URL is given, process memory otherwise. */
export function createKv(options: {
  redisUrl?: string | undefined;
  prefix?: string;
  timeouts?: RedisTimeouts;
  onConnectionError?: (error: Error) => void;
}): Kv {
  const { redisUrl, prefix = '', ...rest } = options;
  return redisUrl ? new RedisKv({ url: redisUrl, prefix, ...rest }) : new MemoryKv({ prefix });
}
