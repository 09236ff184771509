export {
  type AliasedRawBuilder,
  CompiledQuery,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from 'kysely';
export {
  type ConnectOptions,
  connect,
  type DatabaseHandle,
  type DatabaseTimeouts,
  DEFAULT_DATABASE_TIMEOUTS,
} from './connect.ts';
export type { Database } from './database.ts';
export { isDatabaseUnavailable, isDataException, isUniqueViolation } from './errors.ts';
export { lockForTransaction } from './locks.ts';
export { type MigrationStatus, migrateDown, migrateUp, migrationStatus } from './migrate.ts';
export { type PreparedStatement, preparedStatement, type StatementParams } from './prepared.ts';
export type { ActivityEventRow, ActivityEventsTable } from './tables/activity.ts';
export type * from './tables/admin.ts';
export type * from './tables/aube.ts';
export type {
  ApiKeyRow,
  ApiKeyScope,
  ApiKeysTable,
  PasswordResetTokenRow,
  PasswordResetTokensTable,
  SessionRow,
  SessionsTable,
} from './tables/auth.ts';
export type * from './tables/billing.ts';
export type * from './tables/champion.ts';
export type * from './tables/email.ts';
export type * from './tables/events.ts';
export type * from './tables/gateway.ts';
export type * from './tables/gdpr.ts';
export type * from './tables/luna.ts';
export type * from './tables/rise.ts';
export type { NewUserRow, Role, Tier, UserRow, UsersTable, UserUpdate } from './tables/users.ts';
export type * from './tables/webhooks.ts';
