import { sql } from '@phoenix/db';
import { conflict, invalid, notFound } from '@phoenix/errors';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { limitUserCall } from '../../platform/rate-limits.ts';
import { publicBaseUrl, queueEmail } from '../email/index.ts';
import { portableExport, writeExportArchive } from './archive.ts';
import { linkKey, signDownload } from './link.ts';
import type { DownloadLink, ExportPage, ExportRequest, PageInput, Portable } from './schemas.ts';
import { loadSubject } from './subject.ts';

type Deps = Pick<AppDeps, 'db' | 'jobs' | 'clock' | 'config' | 'storage' | 'personalData' | 'kv'>;

/** What the user reads when an export failed for good (the error itself is for the admin). */
export const EXPORT_FAILED_REASON =
  'Your export could not be prepared. Please ask for a new one; if it fails again, contact support.';

const EXPORT_COLUMNS = [
  'id',
  'status',
  'createdAt',
  'completedAt',
  'expiresAt',
  'bytes',
  'downloadCount',
  // A failed export's `report` is `{ failure: { reason, error } }`; the user sees the reason.
  sql<string | null>`report #>> '{failure,reason}'`.as('failureReason'),
] as const;

/** The columns of an export that ended `failed`: the reason for the user, the error for the admin. */
const failedExport = (
  completedAt: Date,
  error: string,
): { status: 'failed'; completedAt: Date; report: string } => ({
  status: 'failed',
  completedAt,
  report: JSON.stringify({
    failure: { reason: EXPORT_FAILED_REASON, error: error.slice(0, 1000) },
  }),
});

/** Where an export's archive lives: under the user, so an erasure finds every one. */
export const exportKey = (userId: string, requestId: string): string =>
  `gdpr/exports/${userId}/${requestId}.zip`;

/**
 * An export still unfinished this long after it was asked will not finish: its job's
 * attempts (an hour's timeout each) add up to far less. Such a request (its job lost, or
 * sent before failed jobs were dead-lettered) no longer blocks a new one.
 */
const STALE_EXPORT_MS = 24 * 3_600_000;

/** Queues an export; one at a time per user. */
export async function requestExport(deps: Deps, userId: string): Promise<ExportRequest> {
  return deps.db.transaction().execute(async (trx) => {
    // Serialises a user's requests: two racing calls cannot both pass the check.
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
    const now = deps.clock.now();
    await trx
      .updateTable('gdprRequests')
      .set(failedExport(new Date(now), 'did not finish within a day'))
      .where('userId', '=', userId)
      .where('kind', '=', 'export')
      .where('status', 'in', ['pending', 'running'])
      .where('createdAt', '<', new Date(now - STALE_EXPORT_MS))
      .execute();
    const running = await trx
      .selectFrom('gdprRequests')
      .select('id')
      .where('userId', '=', userId)
      .where('kind', '=', 'export')
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    if (running) {
      throw conflict('An export is already being prepared', { reason: 'EXPORT_IN_PROGRESS' });
    }
    const row = await trx
      .insertInto('gdprRequests')
      .values({ userId, kind: 'export', status: 'pending', requestedBy: 'user' })
      .returning(EXPORT_COLUMNS)
      .executeTakeFirstOrThrow();
    await deps.jobs.send(exportJob, { requestId: row.id }, { db: trx });
    return row;
  });
}

export function listExports(
  deps: Pick<Deps, 'db'>,
  userId: string,
  page: PageInput,
): Promise<ExportPage> {
  const query = deps.db
    .selectFrom('gdprRequests')
    .select(EXPORT_COLUMNS)
    .where('userId', '=', userId)
    .where('kind', '=', 'export');
  const keyset: Keyset = {
    scope: 'gdpr-exports',
    keys: [key.micros('created_at'), key.uuid()],
    order: 'desc',
  };
  return paginate(query, keyset, page);
}

/** The signed link of one of the caller's ready exports; it expires with the archive. */
export async function downloadLink(
  deps: Pick<Deps, 'db' | 'config'>,
  userId: string,
  requestId: string,
): Promise<DownloadLink> {
  const row = await deps.db
    .selectFrom('gdprRequests')
    .select(['id', 'status', 'expiresAt'])
    .where('id', '=', requestId)
    .where('userId', '=', userId)
    .where('kind', '=', 'export')
    .executeTakeFirst();
  if (!row) throw notFound('Export', { field: 'id' });
  if (row.status !== 'ready' || !row.expiresAt) {
    throw invalid('This export is not ready (or has expired)', {
      reason: 'EXPORT_NOT_READY',
      field: 'id',
    });
  }
  return signedLink(deps, { requestId: row.id, expiresAt: row.expiresAt });
}

function signedLink(
  deps: Pick<Deps, 'config'>,
  claims: { requestId: string; expiresAt: Date },
): DownloadLink {
  const token = signDownload(linkKey(deps.config.gdpr.linkSecret), {
    requestId: claims.requestId,
    expiresMs: claims.expiresAt.getTime(),
  });
  return {
    url: `${publicBaseUrl(deps.config)}/gdpr/download/${token}`,
    expiresAt: claims.expiresAt,
  };
}

/** Article 20: everything, in one machine-readable JSON value. */
export async function portableData(deps: Deps, userId: string): Promise<Portable> {
  // Everything the user has, read and held in memory at once: a budget per user.
  await limitUserCall(
    deps,
    {
      name: 'gdpr:portable',
      points: deps.config.gdpr.portableExportsPerHour,
      durationSeconds: 3_600,
    },
    userId,
  );
  const subject = await loadSubject(deps.db, userId);
  if (!subject) throw notFound('User');
  return portableExport({
    db: deps.db,
    storage: deps.storage,
    registry: deps.personalData,
    subject,
    now: new Date(deps.clock.now()),
  });
}

/** The job: builds the archive into storage, marks it ready, emails the link. */
export async function runExport(deps: AppDeps, requestId: string): Promise<void> {
  const request = await deps.db
    .updateTable('gdprRequests')
    .set({ status: 'running' })
    .where('id', '=', requestId)
    .where('status', 'in', ['pending', 'running'])
    .returning(['id', 'userId'])
    .executeTakeFirst();
  if (!request?.userId) return;
  const subject = await loadSubject(deps.db, request.userId);
  if (!subject) return;
  const now = new Date(deps.clock.now());
  const key = exportKey(subject.userId, requestId);
  const stored = await writeExportArchive({
    db: deps.db,
    storage: deps.storage,
    registry: deps.personalData,
    subject,
    key,
    now,
  });
  const expiresAt = new Date(now.getTime() + deps.config.gdpr.exportTtlMs);
  const link = signedLink(deps, { requestId, expiresAt });
  const locale = await deps.db
    .selectFrom('users')
    .select('locale')
    .where('id', '=', subject.userId)
    .executeTakeFirst();
  const marked = await deps.db.transaction().execute(async (trx) => {
    const ready = await trx
      .updateTable('gdprRequests')
      .set({
        status: 'ready',
        storageKey: stored.key,
        bytes: stored.bytes,
        expiresAt,
        completedAt: now,
      })
      .where('id', '=', requestId)
      .where('userId', '=', subject.userId)
      .where('status', '=', 'running')
      .returning('id')
      .executeTakeFirst();
    if (!ready) return false;
    await queueEmail(deps, trx, {
      trigger: 'gdpr_export_ready',
      to: subject.email,
      userId: subject.userId,
      locale: locale?.locale ?? null,
      variables: {
        displayName: subject.displayName,
        downloadUrl: link.url,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return true;
  });
  // The user was erased while the archive was being built (the erasure already swept the
  // exports folder): the archive must not outlive them.
  if (!marked) await deps.storage.delete(stored.key);
}

/**
 * An export that failed for good (its last retry failed or timed out): the request ends
 * `failed` with a reason the user reads in `gdpr.export.list` and the error the admin reads
 * in `admin.gdpr.requests.list` (`report.failure`), so the user can ask again. Whatever the
 * failed attempts left in storage goes.
 */
export async function failExport(
  deps: AppDeps,
  failure: { requestId: string; error: string },
): Promise<void> {
  // Marked failed and the user told in one transaction: an email never goes out for a
  // request that did not change, and a failure is never silent.
  const failed = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('gdprRequests')
      .set(failedExport(new Date(deps.clock.now()), failure.error))
      .where('id', '=', failure.requestId)
      .where('kind', '=', 'export')
      .where('status', 'in', ['pending', 'running'])
      .returning('userId')
      .executeTakeFirst();
    if (!row?.userId) return row;
    const user = await trx
      .selectFrom('users')
      .select(['email', 'displayName', 'locale'])
      .where('id', '=', row.userId)
      .executeTakeFirst();
    if (user) {
      await queueEmail(deps, trx, {
        trigger: 'gdpr_export_failed',
        to: user.email,
        userId: row.userId,
        locale: user.locale,
        variables: { displayName: user.displayName, appUrl: publicBaseUrl(deps.config) },
      });
    }
    return row;
  });
  if (!failed) return;
  deps.log.warn({ requestId: failure.requestId, error: failure.error }, 'gdpr: export failed');
  if (!failed.userId) return;
  await deps.storage
    .delete(exportKey(failed.userId, failure.requestId))
    .catch((error: unknown) =>
      deps.log.warn({ err: error, requestId: failure.requestId }, 'gdpr: failed export left'),
    );
}

const requestPayload = z.object({ requestId: z.uuid() });

/** `gdpr.export`'s dead-letter queue: pg-boss sends it each export that failed for good. */
export const exportFailedJob = defineJob({
  name: 'gdpr.export-failed',
  payload: requestPayload,
  handler: (deps, payload, run) =>
    failExport(deps, {
      requestId: payload.requestId,
      error: run.failed?.error ?? 'the export job failed',
    }),
});

export const exportJob = defineJob({
  name: 'gdpr.export',
  payload: requestPayload,
  timeoutSeconds: 3600,
  deadLetter: exportFailedJob,
  handler: (deps, payload) => runExport(deps, payload.requestId),
});
