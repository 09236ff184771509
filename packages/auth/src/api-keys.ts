import type { ApiKeyScope, Database, Kysely } from '@phoenix/db';
import {
  API_KEY_CHANGES_CHANNEL,
  createRevocableCache,
  type RevocableCacheOptions,
} from './revocable-cache.ts';
import { issueSecret, secretMatches, splitToken } from './secrets.ts';
import { AUTH_USER_COLUMNS, type AuthUser } from './user.ts';

/** Recognisable in logs and secret scanners: `phx_<id>_<secret>`. */
export const API_KEY_PREFIX = 'phx_';
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ValidatedApiKey {
  key: ApiKeyInfo;
  user: AuthUser;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export interface ApiKeyManager {
  /** The secret is in the returned token only; it cannot be read back later. */
  create(
    userId: string,
    input: { name: string; scopes: ApiKeyScope[]; expiresAt: Date | null },
  ): Promise<{ token: string; key: ApiKeyInfo }>;
  validate(token: string): Promise<ValidatedApiKey | null>;
  revoke(userId: string, keyId: string): Promise<boolean>;
  revokeAll(userId: string): Promise<number>;
  /**
   * Tells every process that this user changed (role, tier, profile, deactivation), so a
   * cached key answers with the user as they are now. Call after the change committed.
   */
  userChanged(userId: string): Promise<void>;
}

/** What an API key's owner may read of it (never the secret's hash). */
export const API_KEY_INFO_COLUMNS = [
  'apiKeys.id',
  'apiKeys.name',
  'apiKeys.scopes',
  'apiKeys.createdAt',
  'apiKeys.expiresAt',
  'apiKeys.lastUsedAt',
  'apiKeys.revokedAt',
] as const;

/** What validation needs of a key, as read from Postgres and kept in the cache. */
interface KeyRow {
  keyId: string;
  userId: string;
  secretHash: Uint8Array;
  key: ApiKeyInfo;
  user: AuthUser;
}

async function readKey(db: Kysely<Database>, keyId: string): Promise<KeyRow | undefined> {
  const row = await db
    .selectFrom('apiKeys')
    .innerJoin('users', 'users.id', 'apiKeys.userId')
    .select([...API_KEY_INFO_COLUMNS, 'apiKeys.secretHash', ...AUTH_USER_COLUMNS])
    .select('apiKeys.id as keyId')
    .where('apiKeys.id', '=', keyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    keyId: row.keyId,
    userId: row.id,
    secretHash: row.secretHash,
    key: {
      id: row.keyId,
      name: row.name,
      scopes: row.scopes,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      lastUsedAt: row.lastUsedAt,
      revokedAt: row.revokedAt,
    },
    user: {
      id: row.id,
      email: row.email,
      displayName: row.displayName,
      role: row.role,
      tier: row.tier,
      timeZone: row.timeZone,
      locale: row.locale,
      active: row.active,
    },
  };
}

export function createApiKeyManager(
  db: Kysely<Database>,
  cacheOptions: RevocableCacheOptions,
): ApiKeyManager {
  const cache = createRevocableCache<KeyRow>({ ...cacheOptions, channel: API_KEY_CHANGES_CHANNEL });
  return {
    async create(userId, input) {
      const issued = issueSecret('_');
      const key = await db
        .insertInto('apiKeys')
        .values({
          id: issued.id,
          userId,
          name: input.name,
          secretHash: issued.secretHash,
          scopes: input.scopes,
          expiresAt: input.expiresAt,
        })
        .returning(API_KEY_INFO_COLUMNS)
        .executeTakeFirstOrThrow();
      return { token: `${API_KEY_PREFIX}${issued.token}`, key };
    },

    async validate(token) {
      if (!looksLikeApiKey(token)) return null;
      const parts = splitToken(token.slice(API_KEY_PREFIX.length), '_');
      if (!parts) return null;
      const row = await cache.load(parts.id, () => readKey(db, parts.id));
      if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
      const now = Date.now();
      if (row.key.revokedAt || (row.key.expiresAt && row.key.expiresAt.getTime() <= now))
        return null;
      if (!row.user.active) return null;
      const { lastUsedAt } = row.key;
      if (!lastUsedAt || now - lastUsedAt.getTime() >= LAST_USED_WRITE_INTERVAL_MS) {
        // Set before the write so concurrent calls on a cached key write once, not each.
        row.key.lastUsedAt = new Date(now);
        await db
          .updateTable('apiKeys')
          .set({ lastUsedAt: row.key.lastUsedAt })
          .where('id', '=', row.keyId)
          .execute();
      }
      return { key: { ...row.key }, user: { ...row.user } };
    },

    async revoke(userId, keyId) {
      const result = await db
        .updateTable('apiKeys')
        .set({ revokedAt: new Date() })
        .where('id', '=', keyId)
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      const revoked = Number(result.numUpdatedRows) > 0;
      if (revoked) await cache.forget({ id: keyId });
      return revoked;
    },

    async revokeAll(userId) {
      const result = await db
        .updateTable('apiKeys')
        .set({ revokedAt: new Date() })
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      await cache.forget({ userId });
      return Number(result.numUpdatedRows);
    },

    userChanged: (userId) => cache.forget({ userId }),
  };
}
