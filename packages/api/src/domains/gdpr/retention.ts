import type { Config } from '@phoenix/config';
import { type Database, type Kysely, sql } from '@phoenix/db';
import type { Storage } from '../../platform/storage/index.ts';

/**
 * One retention rule: rows of `table` older than the configured days (by `column`) go.
 * `where` narrows it (a delivery still pending is not old, it is waiting).
 */
interface Rule {
  name: string;
  table: string;
  column: string;
  days: (config: Config) => number;
  where?: string;
}

const day = 86_400_000;

/** Every table a log or trail lives in, with its retention from config (0 keeps forever). */
export const RETENTION_RULES: readonly Rule[] = [
  {
    name: 'gateway request log',
    table: 'gateway_requests',
    column: 'created_at',
    days: (c) => c.retention.gatewayRequests,
    where: "status <> 'pending'",
  },
  {
    name: 'activity',
    table: 'activity_events',
    column: 'created_at',
    days: (c) => c.retention.activity,
  },
  {
    name: 'error occurrences',
    table: 'admin_error_occurrences',
    column: 'created_at',
    days: (c) => c.retention.errorLog,
  },
  {
    name: 'resolved error groups',
    table: 'admin_errors',
    column: 'last_seen_at',
    days: (c) => c.retention.errorLog,
    where: 'resolved_at is not null',
  },
  {
    name: 'email log',
    table: 'email_logs',
    column: 'created_at',
    days: (c) => c.retention.emailLogs,
  },
  {
    name: 'webhook deliveries',
    table: 'webhook_deliveries',
    column: 'created_at',
    days: (c) => c.retention.webhookLogs,
    where: "status <> 'pending'",
  },
  {
    name: 'webhook log',
    table: 'webhook_logs',
    column: 'created_at',
    days: (c) => c.retention.webhookLogs,
  },
  {
    name: 'expired sessions',
    table: 'sessions',
    column: 'last_used_at',
    days: (c) => c.retention.expiredSessions + Math.ceil(c.auth.session.idleTimeoutMs / day),
  },
  {
    name: 'used or expired reset codes',
    table: 'password_reset_tokens',
    column: 'expires_at',
    days: (c) => c.retention.expiredSessions,
  },
  {
    name: 'domain events',
    table: 'domain_events',
    column: 'occurred_at',
    days: (c) => c.retention.domainEvents,
  },
];

export interface RetentionCount {
  name: string;
  table: string;
  days: number;
  rows: number;
}

/**
 * Applies (or with `dryRun`, counts) every rule, then expires export archives past their
 * link's life. A real run writes one audit row with the counts, in the same transaction.
 */
export async function runRetention(
  deps: { db: Kysely<Database>; config: Config; clock: { now(): number }; storage: Storage },
  options: { dryRun: boolean; actor: string },
): Promise<RetentionCount[]> {
  const now = deps.clock.now();
  const counts = await deps.db.transaction().execute(async (trx) => {
    const out: RetentionCount[] = [];
    for (const rule of RETENTION_RULES) {
      const days = rule.days(deps.config);
      if (days <= 0) continue;
      const cutoff = new Date(now - days * day);
      const where = sql`${sql.ref(rule.column)} < ${cutoff}${rule.where ? sql` and ${sql.raw(rule.where)}` : sql``}`;
      const rows = options.dryRun
        ? await countRows(trx, rule.table, where)
        : Number(
            (await sql`delete from ${sql.table(rule.table)} where ${where}`.execute(trx))
              .numAffectedRows ?? 0,
          );
      out.push({ name: rule.name, table: rule.table, days, rows });
    }
    const expired = await expiredExports(trx, new Date(now));
    out.push({
      name: 'expired export archives',
      table: 'gdpr_requests',
      days: 0,
      rows: expired.length,
    });
    if (!options.dryRun) {
      if (expired.length > 0) {
        await trx
          .updateTable('gdprRequests')
          .set({ status: 'expired', storageKey: null })
          .where(
            'id',
            'in',
            expired.map((e) => e.id),
          )
          .execute();
      }
      await trx
        .insertInto('adminAuditLog')
        .values({
          action: 'gdpr.retention',
          resourceType: 'retention',
          newValue: JSON.stringify({ counts: out }),
          userAgent: options.actor,
        })
        .execute();
    }
    return { out, expired };
  });
  if (!options.dryRun) {
    for (const e of counts.expired) if (e.storageKey) await deps.storage.delete(e.storageKey);
  }
  return counts.out;
}

async function countRows(db: Kysely<Database>, table: string, where: ReturnType<typeof sql>) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where ${where}
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}

function expiredExports(db: Kysely<Database>, now: Date) {
  return db
    .selectFrom('gdprRequests')
    .select(['id', 'storageKey'])
    .where('kind', '=', 'export')
    .where('status', '=', 'ready')
    .where('expiresAt', '<=', now)
    .execute();
}
