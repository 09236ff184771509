import type { ApiKeysTable, PasswordResetTokensTable, SessionsTable } from './tables/auth.ts';
import type { UsersTable } from './tables/users.ts';

/** Every table the hub owns. Property names are camelCase; columns are snake_case. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  apiKeys: ApiKeysTable;
  passwordResetTokens: PasswordResetTokensTable;
}
