import type { UserRow } from '@phoenix/db';

/** The signed-in user as every procedure sees it: never the password hash. */
export type AuthUser = Pick<
  UserRow,
  'id' | 'email' | 'displayName' | 'role' | 'tier' | 'timeZone' | 'locale' | 'active'
>;

export const AUTH_USER_COLUMNS = [
  'users.id',
  'users.email',
  'users.displayName',
  'users.role',
  'users.tier',
  'users.timeZone',
  'users.locale',
  'users.active',
] as const;
