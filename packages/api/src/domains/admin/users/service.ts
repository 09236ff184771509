import { type Database, type Kysely, sql } from '@phoenix/db';
import { forbidden, notFound } from '@phoenix/errors';
import type { AppDeps } from '../../../context.ts';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import { type Keyset, key, paginate, type SortKey } from '../../../platform/pagination.ts';
import { changeTierByAdmin } from '../../billing/index.ts';
import type {
  ActivityInput,
  ChurnRisk,
  ChurnRiskInput,
  ListUsersInput,
  UpdateUserInput,
  UpdateUserOutput,
  UserActivityPage,
  UserDetail,
  UserPage,
} from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'auth' | 'config' | 'events'>;

const USER_COLUMNS = [
  'id',
  'email',
  'displayName',
  'role',
  'tier',
  'active',
  'createdAt',
  'lastLoginAt',
  'loginCount',
] as const;

const DAY_MS = 86_400_000;

// Sort keys as SQL expressions; email sorts on lower(email), which has an index. A user who
// never logged in sorts as if at year 1 (Postgres's -infinity has no microseconds to carry).
const SORT_KEYS: Record<ListUsersInput['sortBy'], SortKey> = {
  createdAt: key.micros('created_at'),
  email: { sql: sql`lower(email)`, kind: 'text' },
  loginCount: { sql: sql`login_count`, kind: 'int' },
  lastLoginAt: {
    sql: sql`coalesce(last_login_at, timestamptz '0001-01-01 00:00:00+00')`,
    kind: 'micros',
  },
};

/**
 * Keyset-paginated on (sort key, id); the cursor carries both and belongs to one sort.
 * Sorted by a value that changes (last login, login count), a user who logs in while an
 * administrator pages may move across the cursor: the list is not a snapshot.
 */
export async function listUsers(db: Kysely<Database>, input: ListUsersInput): Promise<UserPage> {
  let query = db.selectFrom('users').select(USER_COLUMNS);
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('email', 'ilike', pattern), eb('displayName', 'ilike', pattern)]),
    );
  }
  if (input.role) query = query.where('role', '=', input.role);
  if (input.tier) query = query.where('tier', '=', input.tier);
  if (input.active !== undefined) query = query.where('active', '=', input.active);
  const keyset: Keyset = {
    scope: `users:${input.sortBy}:${input.order}`,
    keys: [SORT_KEYS[input.sortBy], key.uuid()],
    order: input.order,
  };
  return paginate(query, keyset, input);
}

export async function getUserDetail(deps: Deps, userId: string): Promise<UserDetail> {
  const user = await deps.db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'timeZone', 'locale', 'updatedAt'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('User');
  const now = Date.now();
  const since30 = new Date(now - 30 * DAY_MS);
  const { session } = deps.config.auth;
  const [activity, topActions, sessions, keys, notes] = await Promise.all([
    deps.db
      .selectFrom('activityEvents')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`count(*) filter (where created_at >= ${since30})`.as('recent'),
        eb.fn.max('createdAt').as('last'),
      ])
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow(),
    deps.db
      .selectFrom('activityEvents')
      .select((eb) => ['action', eb.fn.countAll<number>().as('count')])
      .where('userId', '=', userId)
      .where('createdAt', '>=', since30)
      .groupBy('action')
      .orderBy('count', 'desc')
      .orderBy('action')
      .limit(10)
      .execute(),
    deps.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('userId', '=', userId)
      .where('lastUsedAt', '>', new Date(now - session.idleTimeoutMs))
      .where('createdAt', '>', new Date(now - session.absoluteLifetimeMs))
      .executeTakeFirstOrThrow(),
    deps.db
      .selectFrom('apiKeys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date(now))]))
      .executeTakeFirstOrThrow(),
    deps.db
      .selectFrom('adminUserNotes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    ...user,
    activity: {
      totalEvents: Number(activity.total),
      eventsLast30Days: Number(activity.recent),
      lastActivityAt: activity.last ?? null,
      topActionsLast30Days: topActions.map((a) => ({ action: a.action, count: Number(a.count) })),
    },
    activeSessions: Number(sessions.count),
    activeApiKeys: Number(keys.count),
    notes: Number(notes.count),
  };
}

/**
 * Changes role, tier or active flag; the change and its audit row commit together.
 * Deactivation then revokes every session and API key (validation already refuses an
 * inactive user, so the revocation is clean-up that cannot leave a window open).
 */
export async function updateUser(
  deps: Deps,
  audit: AuditTrail,
  input: UpdateUserInput,
): Promise<UpdateUserOutput> {
  const self = input.userId === audit.actor.adminId;
  if (self && (input.active === false || input.role === 'user')) {
    throw forbidden('Administrators cannot deactivate or demote themselves', {
      reason: 'SELF_LOCKOUT',
    });
  }
  const changes = {
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  const { before, after } = await deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', input.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('User');
    // A tier moves only through billing's rule: its history row and `subscription.changed`.
    if (input.tier !== undefined && input.tier !== before.tier) {
      await changeTierByAdmin(deps, trx, {
        userId: input.userId,
        from: before.tier,
        to: input.tier,
      });
    }
    const after = await trx
      .updateTable('users')
      .set({ ...changes, updatedAt: new Date() })
      .where('id', '=', input.userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.record(trx, {
      resourceType: 'user',
      resourceId: input.userId,
      oldValue: { role: before.role, tier: before.tier, active: before.active },
      newValue: { role: after.role, tier: after.tier, active: after.active },
    });
    return { before, after };
  });
  let sessionsRevoked = 0;
  let apiKeysRevoked = 0;
  if (before.active && !after.active) {
    // The managers use their own connection, so this runs after the commit above.
    sessionsRevoked = await deps.auth.sessions.revokeAll(input.userId);
    apiKeysRevoked = await deps.auth.apiKeys.revokeAll(input.userId);
    await audit.record(deps.db, {
      resourceType: 'user.credentials',
      resourceId: input.userId,
      newValue: { sessionsRevoked, apiKeysRevoked },
    });
  }
  // Role and tier travel with cached sessions and API keys: every process drops them first.
  await deps.auth.userChanged(input.userId);
  return { user: after, sessionsRevoked, apiKeysRevoked };
}

/**
 * Active users who did something in the lookback window but nothing in the last
 * `inactiveDays`: one aggregate over the window, on activity_events(created_at).
 */
export async function churnRisk(db: Kysely<Database>, input: ChurnRiskInput): Promise<ChurnRisk> {
  const now = Date.now();
  const inactiveSince = new Date(now - input.inactiveDays * DAY_MS);
  const lookbackStart = new Date(now - input.lookbackDays * DAY_MS);
  const rows = await db
    .selectFrom('activityEvents as a')
    .innerJoin('users as u', 'u.id', 'a.userId')
    .select((eb) => [
      'u.id',
      'u.email',
      'u.displayName',
      'u.tier',
      eb.fn.max('a.createdAt').as('lastActivityAt'),
      eb.fn.countAll<number>().as('eventsInLookback'),
    ])
    .where('a.createdAt', '>=', lookbackStart)
    .where('u.active', '=', true)
    .groupBy(['u.id', 'u.email', 'u.displayName', 'u.tier'])
    .having((eb) => eb.fn.max('a.createdAt'), '<', inactiveSince)
    .orderBy('lastActivityAt', 'desc')
    .orderBy('u.id')
    .limit(input.limit)
    .execute();
  return {
    inactiveSince,
    items: rows.map((r) => ({ ...r, eventsInLookback: Number(r.eventsInLookback) })),
  };
}

const ACTIVITY: Keyset = {
  scope: 'activity',
  keys: [key.micros('created_at'), key.int()],
  order: 'desc',
};

/** One user's activity, newest first, on activity_events(user_id, created_at). */
export async function listUserActivity(
  db: Kysely<Database>,
  input: ActivityInput,
): Promise<UserActivityPage> {
  const query = db
    .selectFrom('activityEvents')
    .select(['id', 'action', 'resourceId', 'createdAt'])
    .where('userId', '=', input.userId);
  return paginate(query, ACTIVITY, input);
}
