import { type Database, type Kysely, sql } from '@phoenix/db';
import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.ts';

/**
 * Deletes audit rows older than `days` through admin_purge_audit_log(), the only path the
 * append-only trigger lets through; it keeps at least 30 days and audits itself.
 */
export async function purgeAuditLog(
  db: Kysely<Database>,
  days: number,
  actor: string,
): Promise<number> {
  const { rows } = await sql<{ deleted: number }>`
    select admin_purge_audit_log(${days}::integer, ${actor}) as deleted
  `.execute(db);
  return rows[0]?.deleted ?? 0;
}

/** Daily, once per cluster: the audit log keeps AUDIT_RETENTION_DAYS. */
export const auditRetentionJob = defineJob({
  name: 'admin.audit-retention',
  payload: z.object({}),
  schedule: '30 3 * * *',
  async handler(deps) {
    const days = Math.max(30, deps.config.admin.auditRetentionDays);
    const deleted = await purgeAuditLog(deps.db, days, 'phoenix-scheduler audit-retention');
    deps.log.info({ deleted, days }, 'audit retention');
  },
});
