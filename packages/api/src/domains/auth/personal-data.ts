import type { Database, Kysely } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

/** The account, its sessions, API keys and reset codes. */
export const authPersonalData = definePersonalData({
  domain: 'auth',
  about: 'Your account: profile, sign-in sessions, API keys and password reset requests.',
  // Last: deleting the account row cascades to anything a domain forgot.
  order: 100,
  tables: {
    users: {
      userColumns: ['id', 'email', 'display_name'],
      erasure: { kind: 'delete' },
      about: 'Your profile: email, display name, role, tier, time zone, locale, sign-in counts.',
    },
    sessions: {
      userColumns: ['user_id', 'ip', 'user_agent'],
      erasure: { kind: 'delete' },
      about: 'Signed-in sessions: when created and last used, from which address and browser.',
    },
    api_keys: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Your API keys (names, scopes, dates; never the secret).',
    },
    password_reset_tokens: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Password reset requests (dates only; never the code).',
    },
  },
  async exportUserData({ db, subject }) {
    const { userId } = subject;
    const [users, sessions, apiKeys, resets] = await Promise.all([
      db
        .selectFrom('users')
        .select([
          'id',
          'email',
          'displayName',
          'role',
          'tier',
          'timeZone',
          'locale',
          'active',
          'loginCount',
          'createdAt',
          'updatedAt',
          'lastLoginAt',
        ])
        .where('id', '=', userId)
        .execute(),
      db
        .selectFrom('sessions')
        .select(['id', 'createdAt', 'lastUsedAt', 'ip', 'userAgent'])
        .where('userId', '=', userId)
        .execute(),
      db
        .selectFrom('apiKeys')
        .select(['id', 'name', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'])
        .where('userId', '=', userId)
        .execute(),
      db
        .selectFrom('passwordResetTokens')
        .select(['id', 'createdAt', 'expiresAt', 'usedAt'])
        .where('userId', '=', userId)
        .execute(),
    ]);
    return { users, sessions, api_keys: apiKeys, password_reset_tokens: resets };
  },
  async eraseUserData({ db, subject }) {
    const { userId } = subject;
    const sessions = await db
      .deleteFrom('sessions')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const keys = await db.deleteFrom('apiKeys').where('userId', '=', userId).executeTakeFirst();
    const resets = await db
      .deleteFrom('passwordResetTokens')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const users = await db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return {
      sessions: affected(sessions),
      api_keys: affected(keys),
      password_reset_tokens: affected(resets),
      users: affected(users),
    };
  },
});

/**
 * The row the kept legal rows point at instead of the erased user: no email anyone can
 * sign in with (`.invalid` is reserved), no usable password, inactive.
 */
export async function createTombstoneUser(db: Kysely<Database>, tombstone: string): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: tombstone,
      email: `erased-${tombstone}@erased.invalid`,
      displayName: 'Erased user',
      // Not an argon2 hash: no password verifies against it.
      passwordHash: 'erased',
      active: false,
    })
    .execute();
}
