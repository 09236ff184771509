import type { Kv } from '@phoenix/kv';
import { LRUCache } from 'lru-cache';

/** Published on the kv when an API key or its owner changes; every process drops what it holds. */
export const API_KEY_CHANGES_CHANNEL = 'auth:api-key-changes';
/** Published on the kv when a session or its owner changes. */
export const SESSION_CHANGES_CHANNEL = 'auth:session-changes';

/**
 * One credential that changed (revoked), or every credential of a user who changed (role,
 * tier, deactivation, password, erasure).
 */
export type CredentialChange = { id: string } | { userId: string };

export interface RevocableCacheOptions {
  kv: Kv;
  /** How long an entry is trusted if no change message reaches this process; 0 turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  /**
   * A change message that could not be published (the kv is down). The change itself is
   * committed and dropped here; other processes keep their entry until the TTL ends it.
   */
  onPublishError?: (error: unknown) => void;
}

export interface RevocableCache<V extends { userId: string }> {
  /** The cached row, else `read()`'s, which is kept unless a change arrived while it was read. */
  load(id: string, read: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Drops one entry in this process only (e.g. one that looks expired, to be read again). */
  evict(id: string): void;
  /**
   * Drops the entries here and tells every other process through the kv. Never throws: the
   * change it reports has already committed, and the TTL bounds a message that is lost.
   */
  forget(change: CredentialChange): Promise<void>;
}

/**
 * Credentials (API keys, sessions) validated once, then served from memory: the per-call
 * Postgres lookup was the largest item of a billed gateway call after the ledger writes,
 * and half the cost of a session-authenticated read. Entries are trusted only while this
 * process is subscribed to `channel`; the TTL bounds what a lost message (Redis
 * reconnecting, a change made by another tool) can leave stale; when the subscriber's
 * connection drops, the cache empties and stops filling until it has subscribed again.
 */
export function createRevocableCache<V extends { userId: string }>(
  options: RevocableCacheOptions & { channel: string },
): RevocableCache<V> {
  const { kv, ttlMs, channel } = options;
  const entries = new LRUCache<string, V>({ max: options.maxEntries, ttl: Math.max(ttlMs, 1) });
  // Bumped by every change: a read that started before a change must not fill the cache.
  let generation = 0;
  let subscribed = false;
  let subscribing: Promise<void> | null = null;
  // Bumped when the subscription may have missed messages: a confirmation asked for
  // before then proves nothing about what was published since.
  let epoch = 0;

  const drop = (change: CredentialChange) => {
    generation++;
    if ('id' in change) {
      entries.delete(change.id);
      return;
    }
    for (const [id, value] of entries.entries())
      if (value.userId === change.userId) entries.delete(id);
  };
  const dropAll = () => {
    generation++;
    entries.clear();
  };

  const onMessage = (message: string) => {
    const change = parseChange(message);
    // Unreadable: drop everything rather than risk keeping a revoked credential.
    if (change) drop(change);
    else dropAll();
  };

  // The subscriber's connection closed: changes published until it is back are lost, so
  // nothing cached is trusted (or cached) again until a new subscription is confirmed.
  kv.onSubscriptionGap(() => {
    epoch++;
    subscribed = false;
    subscribing = null;
    dropAll();
  });

  const subscribe = (): Promise<void> => {
    if (subscribing) return subscribing;
    const asked = epoch;
    const attempt: Promise<void> = kv.subscribe(channel, onMessage).then(
      () => {
        if (asked === epoch) subscribed = true;
        else if (subscribing === attempt) subscribing = null;
      },
      () => {
        // Not subscribed, not cached: the next validation tries again.
        if (subscribing === attempt) subscribing = null;
      },
    );
    subscribing = attempt;
    return attempt;
  };

  return {
    async load(id, read) {
      if (ttlMs === 0) return read();
      // Only a read that started while subscribed may fill the cache: a change published
      // before the subscription was in place would never reach this process.
      const trusted = subscribed;
      if (!trusted) void subscribe();
      const cached = trusted ? entries.get(id) : undefined;
      if (cached) return cached;
      const before = generation;
      const value = await read();
      if (value && trusted && before === generation) entries.set(id, value);
      return value;
    },
    evict(id) {
      entries.delete(id);
    },
    async forget(change) {
      drop(change);
      try {
        await kv.publish(channel, JSON.stringify(change));
      } catch (error) {
        options.onPublishError?.(error);
      }
    },
  };
}

function parseChange(message: string): CredentialChange | null {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== 'object' || parsed === null) return null;
    if ('id' in parsed && typeof parsed.id === 'string') return { id: parsed.id };
    if ('userId' in parsed && typeof parsed.userId === 'string') return { userId: parsed.userId };
    return null;
  } catch {
    return null;
  }
}
