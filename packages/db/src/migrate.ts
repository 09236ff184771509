import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

export interface MigrationStatus {
  name: string;
  executedAt: Date | null;
}

/**
 * Migration bookkeeping lives in the connection's own schema. Without naming it, Kysely
 * would accept a migration table found in any schema (another tenant's, another test file's).
 */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

async function migrator(db: Kysely<Database>, schema?: string): Promise<Migrator> {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema ?? (await currentSchema(db)),
  });
}

/**
 * True when the bookkeeping table records exactly the known migrations: two small reads.
 * The Migrator's own path (create-if-missing, a lock table, a transaction) costs a CLI
 * command or a start-up on PGlite a few hundred milliseconds when, as usual, nothing is
 * pending; anything else (pending, unknown, missing table) still goes through it.
 */
async function upToDate(db: Kysely<Database>, schema: string): Promise<boolean> {
  const table = `${schema}.${DEFAULT_MIGRATION_TABLE}`;
  const { rows: found } = await sql<{ present: boolean }>`
    select to_regclass(format('%I.%I', ${schema}::text, ${DEFAULT_MIGRATION_TABLE}::text)) is not null as present
  `.execute(db);
  if (!found[0]?.present) return false;
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
  const recorded = new Set(rows.map((row) => row.name));
  const known = Object.keys(migrations);
  return recorded.size === known.length && known.every((name) => recorded.has(name));
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed ?? '(unknown)'} failed: ${reason}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs every pending migration; returns the names it applied (empty when up to date). */
export async function migrateUp(db: Kysely<Database>): Promise<string[]> {
  const schema = await currentSchema(db);
  if (await upToDate(db, schema)) return [];
  return unwrap(await (await migrator(db, schema)).migrateToLatest());
}

/** Reverts the most recent migration; returns its name, or nothing when none is applied. */
export async function migrateDown(db: Kysely<Database>): Promise<string[]> {
  return unwrap(await (await migrator(db)).migrateDown());
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
