import type { AdminAuditLogRow, Database, Kysely, SelectQueryBuilder } from '@phoenix/db';
import { invalid, notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../../platform/pagination.ts';
import { toCsv } from './csv.ts';
import {
  type AuditEntry,
  type AuditExport,
  type AuditFilters,
  type AuditPage,
  EXPORT_MAX_ROWS,
  type ExportAuditInput,
  type ListAuditInput,
} from './schemas.ts';

export const COLUMNS = [
  'id',
  'adminId',
  'adminEmail',
  'action',
  'resourceType',
  'resourceId',
  'oldValue',
  'newValue',
  'ip',
  'userAgent',
  'requestId',
  'createdAt',
] as const;

type AuditRow = Pick<AdminAuditLogRow, (typeof COLUMNS)[number]>;

const NEWEST: Keyset = { scope: 'audit', keys: [key.int()], order: 'desc' };

/** The log's columns, narrowed by the filters; each filter has an index (see migration 0007). */
export function auditQuery(
  db: Kysely<Database>,
  filters: AuditFilters,
): SelectQueryBuilder<Database, 'adminAuditLog', AuditRow> {
  let q = db.selectFrom('adminAuditLog').select(COLUMNS);
  if (filters.adminId) q = q.where('adminId', '=', filters.adminId);
  if (filters.action) q = q.where('action', '=', filters.action);
  if (filters.resourceType) q = q.where('resourceType', '=', filters.resourceType);
  if (filters.resourceId) q = q.where('resourceId', '=', filters.resourceId);
  if (filters.from) q = q.where('createdAt', '>=', filters.from);
  if (filters.to) q = q.where('createdAt', '<', filters.to);
  return q;
}

/** Newest first on the serial id, which only grows, so pages never shift. */
export async function listAudit(db: Kysely<Database>, input: ListAuditInput): Promise<AuditPage> {
  return paginate(auditQuery(db, input), NEWEST, input);
}

export async function getAudit(db: Kysely<Database>, id: number): Promise<AuditEntry> {
  const row = await db
    .selectFrom('adminAuditLog')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Audit entry');
  return row;
}

/**
 * The whole log for a bounded period (at most 31 days, 10,000 rows) as one CSV or JSON
 * document; a larger period is refused so one call never holds an unbounded result.
 */
export async function exportAudit(
  db: Kysely<Database>,
  input: ExportAuditInput,
): Promise<AuditExport> {
  const rows: AuditEntry[] = await auditQuery(db, input)
    .orderBy('id', 'asc')
    .limit(EXPORT_MAX_ROWS + 1)
    .execute();
  if (rows.length > EXPORT_MAX_ROWS) {
    throw invalid(`More than ${EXPORT_MAX_ROWS} rows: narrow the period or the filters`, {
      reason: 'EXPORT_TOO_LARGE',
      field: 'to',
    });
  }
  const stamp = `${input.from.toISOString().slice(0, 10)}_${input.to.toISOString().slice(0, 10)}`;
  if (input.format === 'json') {
    return {
      format: 'json' as const,
      filename: `audit-log_${stamp}.json`,
      contentType: 'application/json',
      rowCount: rows.length,
      content: JSON.stringify(rows),
    };
  }
  return {
    format: 'csv' as const,
    filename: `audit-log_${stamp}.csv`,
    contentType: 'text/csv; charset=utf-8',
    rowCount: rows.length,
    content: toCsv(COLUMNS, rows),
  };
}

const STREAM_BATCH = 500;

/**
 * Every matching row, oldest first, read in keyset batches so memory stays flat however
 * long the period: the streaming export's source.
 */
export async function* streamAudit(
  db: Kysely<Database>,
  filters: AuditFilters,
): AsyncGenerator<AuditEntry[], void> {
  let afterId = 0;
  for (;;) {
    const rows = await auditQuery(db, filters)
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(STREAM_BATCH)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    afterId = rows.at(-1)?.id ?? afterId;
    if (rows.length < STREAM_BATCH) return;
  }
}
