import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Kv } from './kv.ts';
import { MemoryKv } from './memory.ts';
import { RedisKv } from './redis.ts';
import { testKvPrefix } from './testing.ts';

type Factory = (prefix: string) => Kv;
const implementations: [string, Factory][] = [['memory', (prefix) => new MemoryKv({ prefix })]];
const redisUrl = process.env.TEST_REDIS_URL;
if (redisUrl) implementations.push(['redis', (prefix) => new RedisKv({ url: redisUrl, prefix })]);

describe.each(implementations)('Kv contract: %s', (_name, create) => {
  const open: Kv[] = [];
  const make = (prefix = testKvPrefix()) => {
    const kv = create(prefix);
    open.push(kv);
    return kv;
  };
  afterEach(async () => {
    for (const kv of open.splice(0)) {
      if (kv instanceof RedisKv) await kv.deleteAllWithPrefix();
      await kv.close();
    }
  });

  it('gets, sets, overwrites and deletes', async () => {
    const kv = make();
    expect(await kv.get('a')).toBeNull();
    expect(await kv.set('a', '1')).toBe(true);
    expect(await kv.set('a', '2')).toBe(true);
    expect(await kv.get('a')).toBe('2');
    await kv.delete('a');
    expect(await kv.get('a')).toBeNull();
  });

  it('writes only-if-absent once', async () => {
    const kv = make();
    expect(await kv.set('once', 'first', { onlyIfAbsent: true })).toBe(true);
    expect(await kv.set('once', 'second', { onlyIfAbsent: true })).toBe(false);
    expect(await kv.get('once')).toBe('first');
  });

  it('expires values after their TTL', async () => {
    const kv = make();
    await kv.set('short', 'x', { ttlMs: 40 });
    expect(await kv.ttl('short')).toBeGreaterThan(0);
    await sleep(80);
    expect(await kv.get('short')).toBeNull();
    expect(await kv.ttl('short')).toBeNull();
  });

  it('increments atomically and keeps the first expiry', async () => {
    const kv = make();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => kv.increment('n', { ttlMs: 60_000 })),
    );
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await kv.increment('n', { by: 10, ttlMs: 10 })).toBe(60);
    expect(await kv.ttl('n')).toBeGreaterThan(1_000);
  });

  it('increments several counters at once, each keeping its first expiry', async () => {
    const kv = make();
    await kv.increment('a', { ttlMs: 60_000 });
    expect(
      await kv.incrementMany([
        { key: 'a', by: 5, ttlMs: 10 },
        { key: 'b', ttlMs: 60_000 },
        { key: 'c', by: 0, ttlMs: 40 },
      ]),
    ).toEqual([6, 1, 0]);
    expect(await kv.ttl('a')).toBeGreaterThan(1_000);
    expect(await kv.ttl('b')).toBeGreaterThan(1_000);
    await sleep(80);
    expect(await kv.getMany(['a', 'b', 'c', 'missing'])).toEqual(['6', '1', null, null]);
    expect(await kv.incrementMany([])).toEqual([]);
    expect(await kv.getMany([])).toEqual([]);
  });

  it('restarts a counter after its window expires', async () => {
    const kv = make();
    await kv.increment('w', { ttlMs: 40 });
    await kv.increment('w', { ttlMs: 40 });
    await sleep(80);
    expect(await kv.increment('w', { ttlMs: 40 })).toBe(1);
  });

  it('hands a lock to one holder and only that holder releases it', async () => {
    const kv = make();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => kv.acquireLock('l', 5_000)),
    );
    const held = attempts.filter((lock) => lock !== null);
    expect(held).toHaveLength(1);
    await kv.set('l', 'someone-else');
    expect(await held[0]?.release()).toBe(false);
    await kv.delete('l');
    const again = await kv.acquireLock('l', 5_000);
    expect(again).not.toBeNull();
    expect(await again?.release()).toBe(true);
    expect(await kv.get('l')).toBeNull();
  });

  it('delivers published messages to subscribers until they unsubscribe', async () => {
    const kv = make();
    const received: string[] = [];
    const unsubscribe = await kv.subscribe('news', (m) => received.push(m));
    await kv.publish('news', 'one');
    await kv.publish('other', 'ignored');
    await expect.poll(() => received).toEqual(['one']);
    await unsubscribe();
    await kv.publish('news', 'two');
    await sleep(50);
    expect(received).toEqual(['one']);
  });

  it('keeps a channel subscribed while one subscription ends and another is being confirmed', async () => {
    const kv = make();
    const heard: string[] = [];
    const leaving = await kv.subscribe('handover', () => {});
    const joining = kv.subscribe('handover', (m) => heard.push(m));
    // The second subscription is asked for (not yet confirmed) when the first one ends:
    // the channel has no handler at that moment, but must stay subscribed.
    await new Promise((resolve) => process.nextTick(resolve));
    await leaving();
    await joining;
    await kv.publish('handover', 'still here');
    await expect.poll(() => heard).toEqual(['still here']);
  });

  it('confirms subscriptions in the order they were asked for, even while it connects', async () => {
    const kv = make();
    const confirmed: number[] = [];
    const asked: Promise<unknown>[] = [];
    asked.push(kv.subscribe('order', () => {}).then(() => confirmed.push(0)));
    // One more on every turn of the event loop until the first is confirmed: some are asked
    // while a new subscriber connection opens, introduces itself, and becomes ready.
    for (let i = 1; confirmed.length === 0 && i < 10_000; i++) {
      asked.push(kv.subscribe('order', () => {}).then(() => confirmed.push(i)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(asked);
    expect(confirmed.length).toBeGreaterThan(1);
    expect(confirmed).toEqual([...confirmed].sort((a, b) => a - b));
  });

  it('keeps stores with different prefixes apart and shares one prefix', async () => {
    const prefix = testKvPrefix();
    const a = make(prefix);
    const b = make();
    await a.set('k', 'from-a');
    expect(await b.get('k')).toBeNull();
    if (a instanceof RedisKv) {
      const sameRedis = make(prefix);
      expect(await sameRedis.get('k')).toBe('from-a');
    }
  });

  it('rate-limits by points per window and reports when to retry', async () => {
    const kv = make();
    const limiter = kv.rateLimiter({ name: 'contract', points: 2, durationSeconds: 60 });
    await limiter.consume('ip-1');
    await limiter.consume('ip-1');
    const refusal = await limiter.consume('ip-1').catch((e: unknown) => e);
    expect(refusal).toMatchObject({ remainingPoints: 0 });
    expect((refusal as { msBeforeNext: number }).msBeforeNext).toBeGreaterThan(0);
    await expect(limiter.consume('ip-2')).resolves.toMatchObject({ remainingPoints: 1 });
  });
});
