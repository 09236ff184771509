import { randomUUID } from 'node:crypto';
import { verifyPassword } from '@phoenix/auth';
import { type Database, type Kysely, sql } from '@phoenix/db';
import { conflict, forbidden, invalid, notFound } from '@phoenix/errors';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { raiseAlert } from '../../platform/alerts.ts';
import type { AuditTrail } from '../../platform/audit/trail.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import {
  namesSubject,
  type PersonalDataDeclaration,
  type Subject,
} from '../../platform/personal-data/index.ts';
import { createTombstoneUser, failAttempt } from '../auth/index.ts';
import { publicBaseUrl, queueEmail } from '../email/index.ts';
import type { Erasure, ErasureStatus } from './schemas.ts';
import { loadSubject } from './subject.ts';

type Deps = Pick<AppDeps, 'db' | 'jobs' | 'clock' | 'config' | 'auth' | 'log'>;

const ERASURE_COLUMNS = [
  'id',
  'status',
  'requestedBy',
  'createdAt',
  'scheduledFor',
  'completedAt',
] as const;

/**
 * Schedules the erasure of `userId` after the grace period (or at once), in one
 * transaction with its job or email; then revokes every session and API key.
 */
async function scheduleErasure(
  deps: Deps,
  request: {
    userId: string;
    requestedBy: 'user' | 'admin';
    adminId: string | null;
    immediate: boolean;
  },
  audit?: AuditTrail,
): Promise<Erasure> {
  const now = deps.clock.now();
  const graceMs = request.immediate ? 0 : deps.config.gdpr.erasureGraceMs;
  const row = await deps.db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'displayName', 'locale', 'active'])
      .where('id', '=', request.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user || user.email.endsWith('@erased.invalid'))
      throw notFound('User', { field: 'userId' });
    const pending = await trx
      .selectFrom('gdprRequests')
      .select('id')
      .where('userId', '=', request.userId)
      .where('kind', '=', 'erasure')
      .where('status', 'in', ['scheduled', 'running'])
      .executeTakeFirst();
    if (pending) {
      throw conflict('An erasure of this account is already scheduled', {
        reason: 'ERASURE_ALREADY_REQUESTED',
      });
    }
    const created = await trx
      .insertInto('gdprRequests')
      .values({
        userId: request.userId,
        kind: 'erasure',
        status: 'scheduled',
        requestedBy: request.requestedBy,
        adminId: request.adminId,
        scheduledFor: new Date(now + graceMs),
      })
      .returning(ERASURE_COLUMNS)
      .executeTakeFirstOrThrow();
    if (graceMs === 0) {
      await deps.jobs.send(eraseJob, { requestId: created.id }, { db: trx });
    } else {
      await queueEmail(deps, trx, {
        trigger: 'gdpr_erasure_scheduled',
        to: user.email,
        userId: user.id,
        locale: user.locale,
        variables: {
          displayName: user.displayName,
          erasesAt: new Date(now + graceMs).toISOString(),
          appUrl: publicBaseUrl(deps.config),
        },
      });
    }
    await audit?.record(trx, {
      resourceType: 'user',
      resourceId: request.userId,
      newValue: { erasureRequestId: created.id, scheduledFor: created.scheduledFor },
    });
    return created;
  });
  // Nothing signs in as this account any more, except a fresh login to cancel.
  await deps.auth.sessions.revokeAll(request.userId);
  await deps.auth.apiKeys.revokeAll(request.userId);
  return row;
}

/**
 * `gdpr.erasure.request`: the password is asked whatever the session, and paid for on the
 * login's counters (a stolen session or key must not become a password oracle).
 */
export async function requestErasure(
  deps: Deps,
  userId: string,
  asked: { password: string; ip: string },
): Promise<Erasure> {
  const row = await deps.db
    .selectFrom('users')
    .select(['passwordHash', 'email'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const attempt = await deps.auth.loginThrottle.begin(row.email, asked.ip);
  if (!(await verifyPassword(row.passwordHash, asked.password))) {
    await failAttempt(deps, attempt, { email: row.email, ip: asked.ip });
    throw forbidden('The password is incorrect', {
      reason: 'PASSWORD_INCORRECT',
      field: 'password',
    });
  }
  await attempt.succeeded();
  return scheduleErasure(deps, { userId, requestedBy: 'user', adminId: null, immediate: false });
}

/** `admin.gdpr.erasure.request`: for a person who asked by other means; audited. */
export function adminRequestErasure(
  deps: Deps,
  audit: AuditTrail,
  input: { userId: string; immediate: boolean },
): Promise<Erasure> {
  return scheduleErasure(
    deps,
    {
      userId: input.userId,
      requestedBy: 'admin',
      adminId: audit.actor.adminId,
      immediate: input.immediate,
    },
    audit,
  );
}

export async function erasureStatus(
  deps: Pick<Deps, 'db'>,
  userId: string,
): Promise<ErasureStatus> {
  const pending = await deps.db
    .selectFrom('gdprRequests')
    .select(ERASURE_COLUMNS)
    .where('userId', '=', userId)
    .where('kind', '=', 'erasure')
    .where('status', 'in', ['scheduled', 'running'])
    .executeTakeFirst();
  return { pending: pending ?? null };
}

/**
 * Cancels a scheduled erasure (not one already running): the user, signed in again, or an
 * administrator on their behalf (`admin.gdpr.erasure.cancel`, audited in the same
 * transaction).
 */
export async function cancelErasure(
  deps: Pick<Deps, 'db'>,
  userId: string,
  audit?: AuditTrail,
): Promise<Erasure> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('gdprRequests')
      .set({ status: 'cancelled' })
      .where('userId', '=', userId)
      .where('kind', '=', 'erasure')
      .where('status', '=', 'scheduled')
      .returning(ERASURE_COLUMNS)
      .executeTakeFirst();
    if (!row) throw invalid('No erasure is scheduled', { reason: 'NO_ERASURE_PENDING' });
    await audit?.record(trx, {
      resourceType: 'user',
      resourceId: userId,
      oldValue: { erasureRequestId: row.id, status: 'scheduled', scheduledFor: row.scheduledFor },
      newValue: { erasureRequestId: row.id, status: 'cancelled' },
    });
    return row;
  });
}

/** Jobs (queued or finished) whose payload names the user: emails, event deliveries. */
async function purgeJobs(
  db: Kysely<Database>,
  options: { schema: string; subject: Subject },
): Promise<number> {
  const { schema, subject } = options;
  const naming = namesSubject(sql`data`, subject);
  const result = await sql`
    delete from ${sql.table(`${schema}.job`)} where state <> 'active' and ${naming}
  `.execute(db);
  // A job running right now keeps its row (its worker completes it by id), but not the
  // payload: the worker already holds it, and pg-boss would keep it for days afterwards.
  const running = await sql`
    update ${sql.table(`${schema}.job`)} set data = '{}'::jsonb where state = 'active' and ${naming}
  `.execute(db);
  return Number(result.numAffectedRows ?? 0) + Number(running.numAffectedRows ?? 0);
}

const byOrder = (a: PersonalDataDeclaration, b: PersonalDataDeclaration): number =>
  (a.order ?? 0) - (b.order ?? 0);

/**
 * The erasure, in one transaction: a tombstone account, every domain's hook (pseudonymise
 * what the law keeps, delete the rest, the account last), the job payloads naming the user,
 * the request marked completed with counts, an audit row. Then the files go from storage.
 */
export async function runErasure(deps: AppDeps, requestId: string): Promise<void> {
  const now = new Date(deps.clock.now());
  const request = await deps.db
    .selectFrom('gdprRequests')
    .select(['id', 'userId', 'requestedBy', 'scheduledFor'])
    .where('id', '=', requestId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  if (!request?.userId || !request.scheduledFor || request.scheduledFor > now) return;
  const subject = await loadSubject(deps.db, request.userId);
  if (!subject) return;
  const registry = [...deps.personalData].sort(byOrder);
  const files: string[] = [];
  for (const declaration of registry) {
    const owned = await declaration.userFiles?.({ db: deps.db, storage: deps.storage, subject });
    for (const file of owned ?? []) files.push(file.key);
  }
  const tombstone = randomUUID();
  const done = await deps.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('gdprRequests')
      .select('id')
      .where('id', '=', requestId)
      .where('status', '=', 'scheduled')
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return false;
    await createTombstoneUser(trx, tombstone);
    const report: Record<string, Record<string, number>> = {};
    for (const declaration of registry) {
      report[declaration.domain] = await declaration.eraseUserData({
        db: trx,
        subject,
        tombstone,
        jobs: deps.jobs,
      });
    }
    report.jobs = { job: await purgeJobs(trx, { schema: deps.jobs.schema, subject }) };
    await trx
      .updateTable('gdprRequests')
      .set({
        status: 'completed',
        completedAt: now,
        tombstone,
        userId: null,
        report: JSON.stringify(report),
      })
      .where('id', '=', requestId)
      .execute();
    await trx
      .insertInto('adminAuditLog')
      .values({
        action: 'gdpr.erasure',
        resourceType: 'user',
        resourceId: tombstone,
        newValue: JSON.stringify({ requestId, requestedBy: request.requestedBy, report }),
        userAgent: 'gdpr.erase job',
      })
      .execute();
    return true;
  });
  if (!done) return;
  // A session or key another process still holds in memory must not outlive the account.
  await deps.auth.userChanged(subject.userId);
  for (const key of files) await deps.storage.delete(key);
  await deps.storage.deletePrefix(`gdpr/exports/${subject.userId}`);
  for (const declaration of registry) {
    await declaration.afterErasure?.({ subject, tombstone }).catch((error: unknown) => {
      deps.log.error(
        { err: error, domain: declaration.domain, tombstone },
        'after-erasure step failed',
      );
    });
  }
}

const erasurePayload = z.object({ requestId: z.uuid() });

/**
 * `gdpr.erase`'s dead-letter queue: an erasure whose attempts all failed. The request stays
 * `scheduled` (the hourly sweep tries it again: the person's data must still go), and the
 * administrators are told once per request, with the error.
 */
export const erasureFailedJob = defineJob({
  name: 'gdpr.erase-failed',
  payload: erasurePayload,
  async handler(deps, payload, run) {
    const error = run.failed?.error ?? 'the erasure job failed';
    deps.log.error({ requestId: payload.requestId, error }, 'gdpr: erasure failed');
    await raiseAlert(deps.db, {
      kind: 'gdpr.erasure-failed',
      severity: 'critical',
      title: 'An account erasure failed; it is retried every hour',
      body: `Erasure request ${payload.requestId}: ${error}`,
      dedupeKey: `gdpr.erasure-failed:${payload.requestId}`,
    });
  },
});

export const eraseJob = defineJob({
  name: 'gdpr.erase',
  payload: erasurePayload,
  timeoutSeconds: 3600,
  deadLetter: erasureFailedJob,
  handler: (deps, payload) => runErasure(deps, payload.requestId),
});

/** Hourly, once per cluster: erasures whose grace period is over are started. */
export const erasureDueJob = defineJob({
  name: 'gdpr.erasure-due',
  payload: z.object({}),
  schedule: '15 * * * *',
  async handler(deps) {
    const due = await deps.db
      .selectFrom('gdprRequests')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduledFor', '<=', new Date(deps.clock.now()))
      .execute();
    await deps.jobs.sendMany(
      eraseJob,
      due.map((r) => ({ requestId: r.id })),
    );
  },
});
