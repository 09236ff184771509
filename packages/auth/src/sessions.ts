import type { Database, Kysely } from '@phoenix/db';
import {
  createRevocableCache,
  type RevocableCacheOptions,
  SESSION_CHANGES_CHANNEL,
} from './revocable-cache.ts';
import { issueSecret, secretMatches, splitToken } from './secrets.ts';
import { AUTH_USER_COLUMNS, type AuthUser } from './user.ts';

export interface SessionPolicy {
  /** A session unused for this long is rejected. */
  idleTimeoutMs: number;
  /** A session older than this is rejected however active it is. */
  absoluteLifetimeMs: number;
  /** Last-use time is written at most this often, not on every request. */
  touchIntervalMs: number;
  /**
   * A shorter idle limit for administrators' sessions (an unattended back office is the
   * costliest session to steal). Their last use is written often enough to honour it.
   */
  adminIdleTimeoutMs?: number;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  /** When the session ends if unused: the earlier of the idle and absolute limits. */
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface ValidatedSession {
  session: SessionInfo;
  user: AuthUser;
}

export interface CreatedSession {
  token: string;
  session: SessionInfo;
}

/** Sessions after Lucia's guide: `<id>.<secret>` tokens, only the secret's SHA-256 stored. */
export interface SessionManager {
  /** `options.db`: a transaction to write the session in (a sign-up's, say). */
  create(
    userId: string,
    meta: { ip: string | null; userAgent: string | null },
    options?: { db?: Kysely<Database> },
  ): Promise<CreatedSession>;
  /**
   * Null for any token that is unknown, wrong, expired or whose user is inactive. One
   * indexed lookup the first time, then served from this process's memory until the
   * session or its user changes (see `userChanged`) or the cache's TTL ends.
   */
  validate(token: string): Promise<ValidatedSession | null>;
  list(userId: string): Promise<SessionInfo[]>;
  /** Revokes one of the user's sessions; false when it was not theirs or is gone. */
  revoke(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Revokes all of the user's sessions but `except`. `options.db`: a transaction to delete
   * them in (a password change's); call `userChanged` once it committed.
   */
  revokeAll(userId: string, options?: { except?: string; db?: Kysely<Database> }): Promise<number>;
  /** Deletes every idle or absolutely expired session; returns how many. */
  deleteExpired(): Promise<number>;
  /**
   * Tells every process that this user changed (role, tier, profile, deactivation, a
   * password reset that deleted their sessions, erasure), so no cached session answers
   * with the user as they were. Call after the change committed.
   */
  userChanged(userId: string): Promise<void>;
}

/** What validation needs of a session, as read from Postgres and kept in the cache. */
interface SessionRow {
  sessionId: string;
  userId: string;
  secretHash: Uint8Array;
  createdAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
  user: AuthUser;
}

async function readSession(
  db: Kysely<Database>,
  sessionId: string,
): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select([
      'sessions.id as sessionId',
      'sessions.secretHash',
      'sessions.createdAt',
      'sessions.lastUsedAt',
      'sessions.ip',
      'sessions.userAgent',
      ...AUTH_USER_COLUMNS,
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { sessionId: id, secretHash, createdAt, lastUsedAt, ip, userAgent, ...user } = row;
  return { sessionId: id, userId: user.id, secretHash, createdAt, lastUsedAt, ip, userAgent, user };
}

export function createSessionManager(
  db: Kysely<Database>,
  policy: SessionPolicy,
  cacheOptions: RevocableCacheOptions,
): SessionManager {
  const cache = createRevocableCache<SessionRow>({
    ...cacheOptions,
    channel: SESSION_CHANGES_CHANNEL,
  });
  const idleFor = (role: AuthUser['role'] | undefined) =>
    role === 'admin' && policy.adminIdleTimeoutMs !== undefined
      ? Math.min(policy.idleTimeoutMs, policy.adminIdleTimeoutMs)
      : policy.idleTimeoutMs;
  // Touching at most a sixth of the idle limit apart keeps an active session alive.
  const touchFor = (role: AuthUser['role'] | undefined) =>
    Math.min(policy.touchIntervalMs, Math.floor(idleFor(role) / 6));
  const expiresAt = (createdAt: Date, lastUsedAt: Date, role?: AuthUser['role']) =>
    new Date(
      Math.min(
        lastUsedAt.getTime() + idleFor(role),
        createdAt.getTime() + policy.absoluteLifetimeMs,
      ),
    );
  const info = (
    row: {
      id: string;
      createdAt: Date;
      lastUsedAt: Date;
      ip: string | null;
      userAgent: string | null;
    },
    role?: AuthUser['role'],
  ): SessionInfo => ({
    id: row.id,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: expiresAt(row.createdAt, row.lastUsedAt, role),
    ip: row.ip,
    userAgent: row.userAgent,
  });

  return {
    async create(userId, meta, options = {}) {
      const issued = issueSecret();
      const now = new Date();
      await (options.db ?? db)
        .insertInto('sessions')
        .values({
          id: issued.id,
          userId,
          secretHash: issued.secretHash,
          createdAt: now,
          lastUsedAt: now,
          ip: meta.ip,
          userAgent: meta.userAgent?.slice(0, 512) ?? null,
        })
        .execute();
      return {
        token: issued.token,
        session: info({
          id: issued.id,
          createdAt: now,
          lastUsedAt: now,
          ip: meta.ip,
          userAgent: meta.userAgent,
        }),
      };
    },

    async validate(token) {
      const parts = splitToken(token);
      if (!parts) return null;
      let row = await cache.load(parts.id, () => readSession(db, parts.id));
      if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
      const now = Date.now();
      if (now >= expiresAt(row.createdAt, row.lastUsedAt, row.user.role).getTime()) {
        // A cached last use can be older than another process's touch: the database decides.
        cache.evict(parts.id);
        row = await readSession(db, parts.id);
        if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
        if (now >= expiresAt(row.createdAt, row.lastUsedAt, row.user.role).getTime()) {
          await db.deleteFrom('sessions').where('id', '=', row.sessionId).execute();
          return null;
        }
      }
      if (!row.user.active) return null;
      if (now - row.lastUsedAt.getTime() >= touchFor(row.user.role)) {
        // Set before the write so concurrent calls on a cached session write once, not each.
        const previous = row.lastUsedAt;
        row.lastUsedAt = new Date(now);
        let touched: bigint;
        try {
          ({ numUpdatedRows: touched } = await db
            .updateTable('sessions')
            .set({ lastUsedAt: row.lastUsedAt })
            .where('id', '=', row.sessionId)
            .executeTakeFirst());
        } catch (error) {
          row.lastUsedAt = previous;
          throw error;
        }
        // Gone from the database (deleted where no message reached this process): refused.
        if (touched === 0n) {
          cache.evict(parts.id);
          return null;
        }
      }
      const { sessionId, createdAt, lastUsedAt, ip, userAgent, user } = row;
      return {
        session: info({ id: sessionId, createdAt, lastUsedAt, ip, userAgent }, user.role),
        user: { ...user },
      };
    },

    async list(userId) {
      const rows = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.userId')
        .select([
          'sessions.id',
          'sessions.createdAt',
          'sessions.lastUsedAt',
          'sessions.ip',
          'sessions.userAgent',
          'users.role',
        ])
        .where('sessions.userId', '=', userId)
        .orderBy('sessions.lastUsedAt', 'desc')
        .limit(100)
        .execute();
      const now = Date.now();
      // The owner's role sets the idle limit (administrators' is shorter), as validation does.
      return rows
        .map(({ role, ...row }) => info(row, role))
        .filter((s) => s.expiresAt.getTime() > now);
    },

    async revoke(userId, sessionId) {
      const result = await db
        .deleteFrom('sessions')
        .where('id', '=', sessionId)
        .where('userId', '=', userId)
        .executeTakeFirst();
      // Told even when the row was already gone: a retried sign-out still clears what
      // other processes hold of it.
      await cache.forget({ id: sessionId });
      return Number(result.numDeletedRows) > 0;
    },

    async revokeAll(userId, options = {}) {
      let query = (options.db ?? db).deleteFrom('sessions').where('userId', '=', userId);
      if (options.except) query = query.where('id', '!=', options.except);
      const result = await query.executeTakeFirst();
      // The kept session is dropped from the caches too: it is read again on its next use.
      await cache.forget({ userId });
      return Number(result.numDeletedRows);
    },

    async deleteExpired() {
      const now = Date.now();
      const result = await db
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([
            eb('lastUsedAt', '<=', new Date(now - policy.idleTimeoutMs)),
            eb('createdAt', '<=', new Date(now - policy.absoluteLifetimeMs)),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    userChanged: (userId) => cache.forget({ userId }),
  };
}
