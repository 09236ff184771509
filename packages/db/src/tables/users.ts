import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'user' | 'admin';
export type Tier = 'FREE' | 'PREMIUM';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  displayName: string;
  passwordHash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  tier: ColumnType<Tier, Tier | undefined, Tier>;
  timeZone: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string, string | undefined, string>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  loginCount: ColumnType<number, number | undefined, number>;
  createdAt: ColumnType<Date, Date | undefined, never>;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
  lastLoginAt: Date | null;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
