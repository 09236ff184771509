import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
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
async function migrator(db: Kysely<Database>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
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
  return unwrap(await (await migrator(db)).migrateToLatest());
}

/** Reverts the most recent migration; returns its name, or nothing when none is applied. */
export async function migrateDown(db: Kysely<Database>): Promise<string[]> {
  return unwrap(await (await migrator(db)).migrateDown());
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}
