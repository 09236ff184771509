import type { Database, Kysely } from '@phoenix/db';
import { redact } from './redact.ts';

/** Who did it, from where: filled in once per admin call by `adminProcedure`. */
export interface AuditActor {
  adminId: string;
  adminEmail: string;
  /** The procedure path, e.g. `admin.users.update`. */
  action: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface AuditEntry {
  resourceType: string;
  resourceId?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface AuditTrail {
  readonly actor: AuditActor;
  /**
   * Writes one audit row with the transaction that made the change, so the change and
   * its record commit (or roll back) together. Values are redacted here.
   */
  record(db: Kysely<Database>, entry: AuditEntry): Promise<void>;
  /** How many rows this call recorded; an admin write that recorded none gets a fallback row. */
  readonly recorded: number;
}

const json = (value: unknown) =>
  value === undefined || value === null ? null : JSON.stringify(redact(value));

export async function insertAuditRow(
  db: Kysely<Database>,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('adminAuditLog')
    .values({
      adminId: actor.adminId,
      adminEmail: actor.adminEmail,
      action: actor.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      oldValue: json(entry.oldValue),
      newValue: json(entry.newValue),
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
    })
    .execute();
}

export function createAuditTrail(actor: AuditActor): AuditTrail {
  return new CountingAuditTrail(actor);
}

/**
 * A class, not an object literal with `get recorded()`: a getter in a literal is a new
 * function per trail, which gives each trail a hidden class of its own (see
 * `NodeProviderResponse` in @phoenix/gateway).
 */
class CountingAuditTrail implements AuditTrail {
  readonly actor: AuditActor;
  #recorded = 0;

  constructor(actor: AuditActor) {
    this.actor = actor;
  }

  async record(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
    await insertAuditRow(db, this.actor, entry);
    this.#recorded++;
  }

  get recorded(): number {
    return this.#recorded;
  }
}
