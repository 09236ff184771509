import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export type GdprRequestKind = 'export' | 'erasure';
export type GdprRequestStatus =
  | 'pending'
  | 'running'
  | 'ready'
  | 'scheduled'
  | 'completed'
  | 'cancelled'
  | 'failed'
  | 'expired';

/** An export or an erasure asked for by a user (or for them by an admin). */
export interface GdprRequestsTable {
  id: Generated<string>;
  /** Null once the user is erased; the row stays as the record of the erasure. */
  userId: string | null;
  kind: GdprRequestKind;
  status: GdprRequestStatus;
  requestedBy: 'user' | 'admin';
  adminId: string | null;
  /** The erased user's tombstone: what kept legal rows name instead of them. */
  tombstone: string | null;
  /** When a scheduled erasure runs (end of the grace period). */
  scheduledFor: Date | null;
  storageKey: string | null;
  bytes: number | null;
  expiresAt: Date | null;
  downloadCount: ColumnType<number, number | undefined, number>;
  /** jsonb counts per table of what the erasure did. */
  report: ColumnType<unknown, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  completedAt: Date | null;
}

export interface GdprExportDownloadsTable {
  id: Generated<number>;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
}

export type ConsentPurpose = 'marketing_email' | 'ai_training';

/** Every consent change, with the version of the text agreed to; the latest row is the state. */
export interface ConsentRecordsTable {
  id: Generated<number>;
  userId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  textVersion: string;
  actor: 'user' | 'admin';
  ip: string | null;
  createdAt: CreatedAt;
}

export interface GdprTables {
  gdprRequests: GdprRequestsTable;
  gdprExportDownloads: GdprExportDownloadsTable;
  consentRecords: ConsentRecordsTable;
}

export type GdprRequestRow = Selectable<GdprRequestsTable>;
export type ConsentRecordRow = Selectable<ConsentRecordsTable>;
