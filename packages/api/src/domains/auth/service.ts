import {
  API_KEY_INFO_COLUMNS,
  type ApiKeyManager,
  assertPasswordAllowed,
  burnPasswordCheck,
  type CreatedSession,
  hashPassword,
  needsRehash,
  type SessionInfo,
  verifyPassword,
} from '@phoenix/auth';
import { isUniqueViolation, sql } from '@phoenix/db';
import {
  conflict,
  type DomainError,
  forbidden,
  invalid,
  notFound,
  unauthenticated,
} from '@phoenix/errors';
import type { AppDeps, Caller } from '../../context.ts';
import { recordActivity } from '../../platform/activity.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { queueEmail } from '../email/index.ts';
import { applyGrant } from '../gateway/index.ts';
import { failAttempt } from './lockout-alerts.ts';
import type {
  ApiKeyPage,
  ChangePasswordInput,
  CreateApiKeyInput,
  ListApiKeysInput,
  LoginInput,
  RegisterInput,
  ResetPasswordInput,
  Session,
  SessionGrant,
  UpdateProfileInput,
  User,
} from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'auth' | 'config' | 'log' | 'events' | 'jobs'>;
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

const USER_COLUMNS = ['id', 'email', 'displayName', 'role', 'tier', 'timeZone', 'locale'] as const;
const INVALID_CREDENTIALS = 'Email or password is incorrect';

export async function register(
  deps: Deps,
  input: RegisterInput,
  client: ClientInfo,
): Promise<SessionGrant> {
  await deps.auth.registerLimit(client.ip);
  assertPasswordAllowed(input.password, { email: input.email });
  const passwordHash = await hashPassword(input.password);
  let registered: { created: User; granted: CreatedSession };
  try {
    // The account, its sign-up credits and its first session exist together or not at all.
    registered = await deps.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({
          email: input.email,
          displayName: input.displayName,
          passwordHash,
          timeZone: input.timeZone,
          locale: input.locale,
          loginCount: 1,
          lastLoginAt: new Date(),
        })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      const amount = deps.config.gateway.signupCredits;
      if (amount > 0) {
        await applyGrant(trx, {
          userId: created.id,
          amount,
          kind: 'signup',
          idempotencyKey: `signup:${created.id}`,
        });
      }
      await deps.events.emit(trx, {
        type: 'user.registered',
        payload: { userId: created.id, email: created.email, displayName: created.displayName },
      });
      // The first session too: an account never exists without the sign-in its caller was
      // answered with, so a failed sign-up can simply be sent again.
      const granted = await deps.auth.sessions.create(created.id, client, { db: trx });
      await recordActivity(trx, { userId: created.id, action: 'auth.register' });
      return { created, granted };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('An account with this email already exists', {
        reason: 'EMAIL_TAKEN',
        field: 'email',
      });
    }
    throw error;
  }
  const { token, session } = registered.granted;
  return { token, expiresAt: session.expiresAt, user: registered.created };
}

export async function login(
  deps: Deps,
  input: LoginInput & { replacingToken: string | null },
  client: ClientInfo,
): Promise<SessionGrant> {
  // The guess is paid for before the hash is checked: parallel guesses cannot all slip
  // through before the first failure is counted.
  const attempt = await deps.auth.loginThrottle.begin(input.email, client.ip);
  const row = await deps.db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'passwordHash', 'active'])
    .where(sql`lower(email)`, '=', input.email.toLowerCase())
    .executeTakeFirst();
  const fail = async (): Promise<DomainError> => {
    await failAttempt(deps, attempt, { email: input.email, ip: client.ip });
    return unauthenticated(INVALID_CREDENTIALS, { reason: 'INVALID_CREDENTIALS' });
  };
  if (!row) {
    await burnPasswordCheck(input.password);
    throw await fail();
  }
  const valid = await verifyPassword(row.passwordHash, input.password);
  if (!valid || !row.active) throw await fail();
  await attempt.succeeded();
  const { passwordHash, active: _active, ...user } = row;
  // Hashes made with older parameters are upgraded while the plain password is at hand.
  const rehashed = needsRehash(passwordHash) ? await hashPassword(input.password) : undefined;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({
        lastLoginAt: new Date(),
        loginCount: eb('loginCount', '+', 1),
        ...(rehashed ? { passwordHash: rehashed } : {}),
      }))
      .where('id', '=', user.id)
      .execute();
    await deps.events.emit(trx, { type: 'user.login', payload: { userId: user.id } });
  });
  // A fresh token at every login; a token the client held before stops working.
  if (input.replacingToken) {
    const previous = await deps.auth.sessions.validate(input.replacingToken);
    if (previous) await deps.auth.sessions.revoke(previous.user.id, previous.session.id);
  }
  const { token, session } = await deps.auth.sessions.create(user.id, client);
  await recordActivity(deps.db, { userId: user.id, action: 'auth.login' });
  return { token, expiresAt: session.expiresAt, user };
}

function requireSession(caller: Caller): SessionInfo {
  if (!caller.session) {
    throw forbidden('This needs a session token, not an API key', { reason: 'SESSION_REQUIRED' });
  }
  return caller.session;
}

export async function logout(deps: Deps, caller: Caller): Promise<void> {
  const session = requireSession(caller);
  await deps.auth.sessions.revoke(caller.user.id, session.id);
}

export async function logoutAll(deps: Deps, caller: Caller): Promise<number> {
  return deps.auth.sessions.revokeAll(caller.user.id);
}

/** Rotates the caller's session: a new token, the old one revoked. */
export async function refresh(
  deps: Deps,
  caller: Caller,
  client: ClientInfo,
): Promise<SessionGrant> {
  const session = requireSession(caller);
  const created = await deps.auth.sessions.create(caller.user.id, client);
  await deps.auth.sessions.revoke(caller.user.id, session.id);
  return {
    token: created.token,
    expiresAt: created.session.expiresAt,
    user: await getUser(deps, caller.user.id),
  };
}

export async function getUser(deps: Pick<Deps, 'db'>, userId: string): Promise<User> {
  const user = await deps.db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('User');
  return user;
}

export async function updateProfile(
  deps: Deps,
  caller: Caller,
  input: UpdateProfileInput,
): Promise<User> {
  const updated = await deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .updateTable('users')
      .set({ ...input, updatedAt: new Date() })
      .where('id', '=', caller.user.id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    const fields = Object.keys(input).filter(
      (key) => input[key as keyof typeof input] !== undefined,
    );
    await deps.events.emit(trx, { type: 'user.updated', payload: { userId: user.id, fields } });
    return user;
  });
  // Sessions and API keys carry the user (time zone, name) from a cache: every process drops it.
  await deps.auth.userChanged(updated.id);
  return updated;
}

export async function changePassword(
  deps: Deps,
  caller: Caller,
  input: ChangePasswordInput & { ip: string },
): Promise<number> {
  const session = requireSession(caller);
  const row = await deps.db
    .selectFrom('users')
    .select(['passwordHash', 'email'])
    .where('id', '=', caller.user.id)
    .executeTakeFirstOrThrow();
  // A stolen session must not become a password oracle: the same counters as login.
  const attempt = await deps.auth.loginThrottle.begin(row.email, input.ip);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await failAttempt(deps, attempt, { email: row.email, ip: input.ip });
    throw invalid('Current password is incorrect', {
      field: 'currentPassword',
      reason: 'WRONG_PASSWORD',
    });
  }
  await attempt.succeeded();
  assertPasswordAllowed(input.newPassword, { email: row.email });
  const passwordHash = await hashPassword(input.newPassword);
  // One transaction: a new password never stands beside the other sessions (a thief's)
  // still open, and a failure leaves the old password, so the user can simply try again.
  const revoked = await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ passwordHash, updatedAt: new Date() })
      .where('id', '=', caller.user.id)
      .execute();
    return deps.auth.sessions.revokeAll(caller.user.id, { except: session.id, db: trx });
  });
  await deps.auth.userChanged(caller.user.id);
  return revoked;
}

/** Same answer whether or not the account exists; the email does the talking. */
export async function requestPasswordReset(
  deps: Deps,
  email: string,
  client: ClientInfo,
): Promise<void> {
  await deps.auth.resetRequestLimit(`ip:${client.ip}`);
  await deps.auth.resetRequestLimit(`email:${email.toLowerCase()}`);
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'displayName', 'locale', 'active'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!user?.active) return;
  // The code itself is issued by the send job, so it never waits in a job payload.
  await deps.db.transaction().execute((trx) =>
    queueEmail(deps, trx, {
      trigger: 'password_reset',
      to: user.email,
      userId: user.id,
      locale: user.locale,
      variables: { displayName: user.displayName },
    }),
  );
}

export async function resetPassword(deps: Deps, input: ResetPasswordInput): Promise<void> {
  const userId = await deps.auth.resetTokens.consume(input.token);
  if (!userId) {
    throw invalid('This reset code is invalid, used or expired', {
      field: 'token',
      reason: 'RESET_TOKEN_INVALID',
    });
  }
  const user = await getUser(deps, userId);
  assertPasswordAllowed(input.newPassword, { email: user.email });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ passwordHash, updatedAt: new Date() })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('sessions').where('userId', '=', userId).execute();
  });
  await deps.auth.userChanged(userId);
}

export async function listSessions(deps: Deps, caller: Caller): Promise<Session[]> {
  const sessions = await deps.auth.sessions.list(caller.user.id);
  return sessions.map((s) => ({ ...s, current: s.id === caller.session?.id }));
}

export async function revokeSession(deps: Deps, caller: Caller, sessionId: string): Promise<void> {
  if (!(await deps.auth.sessions.revoke(caller.user.id, sessionId))) throw notFound('Session');
}

/** Keys are created for the caller only; there is no user id to pass. */
export async function createApiKey(
  deps: Deps,
  caller: Caller,
  input: CreateApiKeyInput,
): ReturnType<ApiKeyManager['create']> {
  requireSession(caller);
  if (input.scopes.includes('admin') && caller.user.role !== 'admin') {
    throw forbidden('Only administrators can create keys with the admin scope', {
      reason: 'API_KEY_SCOPE_EXCEEDS_ROLE',
      field: 'scopes',
    });
  }
  const expiresAt = input.expiresInDays
    ? new Date(Date.now() + input.expiresInDays * 86_400_000)
    : null;
  const scopes = [...new Set(input.scopes)];
  return deps.auth.apiKeys.create(caller.user.id, { name: input.name, scopes, expiresAt });
}

/** Newest first, by creation time to the microsecond, then id: no key is skipped or repeated. */
const API_KEYS: Keyset = {
  scope: 'apiKeys',
  keys: [key.micros('created_at'), { sql: sql.ref('id'), kind: 'text' }],
  order: 'desc',
};

/** The caller's own keys, revoked and expired ones included (they show why a key stopped). */
export function listApiKeys(
  deps: Pick<Deps, 'db'>,
  caller: Caller,
  page: ListApiKeysInput,
): Promise<ApiKeyPage> {
  const query = deps.db
    .selectFrom('apiKeys')
    .select(API_KEY_INFO_COLUMNS)
    .where('userId', '=', caller.user.id);
  return paginate(query, API_KEYS, page);
}

export async function revokeApiKey(deps: Deps, caller: Caller, keyId: string): Promise<void> {
  if (!(await deps.auth.apiKeys.revoke(caller.user.id, keyId))) throw notFound('API key');
}
