import type { Config } from '@phoenix/config';
import { sql } from '@phoenix/db';
import { withDatabase } from './database.ts';

/**
 * `audit-retention [--days N]`: deletes audit rows older than N days (default
 * AUDIT_RETENTION_DAYS). The deletion goes through the database's
 * admin_purge_audit_log(), the only path the append-only trigger lets through, which
 * writes its own audit row in the same transaction.
 */
export async function auditRetentionCommand(
  config: Config,
  flags: Record<string, string | boolean | undefined>,
): Promise<number> {
  const raw = typeof flags.days === 'string' ? flags.days : String(config.admin.auditRetentionDays);
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 30) {
    console.error(`audit-retention: --days must be a whole number of at least 30 (got "${raw}").`);
    return 2;
  }
  return withDatabase(config, async (db) => {
    const { rows } = await sql<{ deleted: number }>`
      select admin_purge_audit_log(${days}::integer, 'phoenix-cli audit-retention') as deleted
    `.execute(db);
    console.log(`audit-retention: deleted ${rows[0]?.deleted ?? 0} rows older than ${days} days`);
    return 0;
  });
}

/**
 * `retention [--dry-run]`: applies every table's retention (RETENTION_* days) and expires
 * old export archives, as the daily `gdpr.retention` job does, audited with its counts;
 * `--dry-run` only counts and prints what would go.
 */
export async function retentionCommand(
  config: Config,
  flags: Record<string, string | boolean | undefined>,
): Promise<number> {
  const dryRun = flags['dry-run'] === true;
  const { createFilesystemStorage, runRetention } = await import('@phoenix/api/retention');
  return withDatabase(config, async (db) => {
    const counts = await runRetention(
      {
        db,
        config,
        clock: { now: () => Date.now() },
        storage: createFilesystemStorage(config.storage.dir),
      },
      { dryRun, actor: 'phoenix-cli retention' },
    );
    const verb = dryRun ? 'would delete' : 'deleted';
    for (const c of counts) {
      const kept = c.days > 0 ? ` older than ${c.days} days` : '';
      console.log(`retention: ${c.name} (${c.table}): ${verb} ${c.rows} rows${kept}`);
    }
    if (dryRun) console.log('retention: dry run, nothing deleted');
    return 0;
  });
}
