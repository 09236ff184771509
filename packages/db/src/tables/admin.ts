import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** jsonb: written as a JSON string (so arrays are not sent as Postgres arrays), read parsed. */
type Json = ColumnType<unknown, string | null | undefined, never>;

/** Append-only: the database refuses UPDATE and DELETE (see migration 0007). */
export interface AdminAuditLogTable {
  id: Generated<number>;
  adminId: string | null;
  adminEmail: string | null;
  /** Procedure path, e.g. `admin.users.update`, or `cli.audit-retention`. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  oldValue: Json;
  newValue: Json;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: CreatedAt;
}

export interface AdminUserNotesTable {
  id: Generated<string>;
  userId: string;
  authorId: string | null;
  body: string;
  pinned: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export interface AdminErrorsTable {
  id: Generated<string>;
  fingerprint: string;
  name: string;
  message: string;
  path: string | null;
  lastRequestId: string | null;
  count: ColumnType<number, number | undefined, number>;
  firstSeenAt: CreatedAt;
  lastSeenAt: ColumnType<Date, Date | undefined, Date>;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface AdminErrorOccurrencesTable {
  id: Generated<number>;
  errorId: string;
  requestId: string | null;
  createdAt: CreatedAt;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AdminAlertsTable {
  id: Generated<string>;
  kind: string;
  severity: AlertSeverity;
  title: string;
  body: ColumnType<string, string | undefined, string>;
  dedupeKey: string | null;
  createdAt: CreatedAt;
  readAt: Date | null;
  dismissedAt: Date | null;
}

/** Tables of the admin domain, merged into `Database`. */
export interface AdminTables {
  adminAuditLog: AdminAuditLogTable;
  adminUserNotes: AdminUserNotesTable;
  adminErrors: AdminErrorsTable;
  adminErrorOccurrences: AdminErrorOccurrencesTable;
  adminAlerts: AdminAlertsTable;
}

export type AdminAuditLogRow = Selectable<AdminAuditLogTable>;
export type AdminUserNoteRow = Selectable<AdminUserNotesTable>;
export type AdminErrorRow = Selectable<AdminErrorsTable>;
export type AdminAlertRow = Selectable<AdminAlertsTable>;
