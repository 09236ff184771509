import type { AlertSeverity, Database, Kysely } from '@phoenix/db';

export interface NewAlert {
  /** Dotted kind, e.g. `error.new`, `auth.failed-login-spike`. */
  kind: string;
  severity: AlertSeverity;
  title: string;
  body?: string;
  /** Same key twice raises once, so a condition that persists does not flood the list. */
  dedupeKey?: string;
}

/** Raises a system alert; answers whether a new one was created. */
export async function raiseAlert(db: Kysely<Database>, alert: NewAlert): Promise<boolean> {
  const result = await db
    .insertInto('adminAlerts')
    .values({
      kind: alert.kind,
      severity: alert.severity,
      title: alert.title.slice(0, 200),
      body: (alert.body ?? '').slice(0, 2000),
      dedupeKey: alert.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return result !== undefined;
}
