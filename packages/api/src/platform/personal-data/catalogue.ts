import { type Database, type Kysely, sql } from '@phoenix/db';
import type { PersonalDataDeclaration } from './types.ts';

/** Column names that describe a person wherever they appear. */
export const USER_COLUMN_NAME =
  /^(user_id|actor_id|admin_id|author_id|owner_id|subject_id|customer_id|\w+_by|\w*email\w*|display_name|first_name|last_name|full_name|phone\w*|ip|ip_address|user_agent)$/;

export interface UserColumn {
  table: string;
  column: string;
  /** Why it counts: a foreign key to users, or its name. */
  why: 'foreign key' | 'name';
}

/** Tables that are not the hub's data: migration bookkeeping. */
const NOT_OURS = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Every column of the current schema that references a user: a foreign key to `users`
 * (from pg_catalog) or a name that says so (from information_schema). Works the same on
 * Postgres and PGlite.
 */
export async function userColumns(db: Kysely<Database>): Promise<UserColumn[]> {
  const fks = await sql<{ table: string; column: string }>`
    select c.relname as "table", a.attname as "column"
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
    where k.contype = 'f' and k.confrelid = 'users'::regclass and n.nspname = current_schema()
  `.execute(db);
  const columns = await sql<{ table: string; column: string }>`
    select c.table_name as "table", c.column_name as "column"
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
  `.execute(db);
  const found = new Map<string, UserColumn>();
  for (const { table, column } of fks.rows) {
    found.set(`${table}.${column}`, { table, column, why: 'foreign key' });
  }
  for (const { table, column } of columns.rows) {
    if (NOT_OURS.has(table) || !USER_COLUMN_NAME.test(column)) continue;
    if (!found.has(`${table}.${column}`))
      found.set(`${table}.${column}`, { table, column, why: 'name' });
  }
  return [...found.values()].sort((a, b) =>
    `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`),
  );
}

/** The user columns no declaration lists: each one is a table someone forgot to register. */
export async function uncoveredUserColumns(
  db: Kysely<Database>,
  registry: readonly PersonalDataDeclaration[],
): Promise<UserColumn[]> {
  const covered = new Set<string>();
  for (const declaration of registry) {
    for (const [table, t] of Object.entries(declaration.tables)) {
      for (const column of t.userColumns) covered.add(`${table}.${column}`);
    }
  }
  return (await userColumns(db)).filter((c) => !covered.has(`${c.table}.${c.column}`));
}
