import type { ColumnType, Selectable } from 'kysely';

/** Lucia-style session: the id is public, only the SHA-256 of the secret is stored. */
export interface SessionsTable {
  id: string;
  userId: string;
  secretHash: Uint8Array;
  createdAt: ColumnType<Date, Date | undefined, never>;
  lastUsedAt: ColumnType<Date, Date | undefined, Date>;
  ip: string | null;
  userAgent: string | null;
}

export type ApiKeyScope = 'read' | 'write' | 'admin';

export interface ApiKeysTable {
  id: string;
  userId: string;
  name: string;
  secretHash: Uint8Array;
  scopes: ApiKeyScope[];
  createdAt: ColumnType<Date, Date | undefined, never>;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface PasswordResetTokensTable {
  id: string;
  userId: string;
  secretHash: Uint8Array;
  createdAt: ColumnType<Date, Date | undefined, never>;
  expiresAt: Date;
  usedAt: Date | null;
}

export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type PasswordResetTokenRow = Selectable<PasswordResetTokensTable>;
