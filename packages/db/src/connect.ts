import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './database.ts';

const INT8_OID = 20;

export interface ConnectOptions {
  /** Postgres URL; when absent an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory. */
  dataDir?: string;
  poolMax?: number;
  /** The only Postgres schema on the search path (test isolation: nothing falls through to public). */
  schema?: string;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** The embedded client, for what must share its single connection (the job queue). */
  pglite?: PGlite;
  close(): Promise<void>;
}

// Counts and sums come back as int8; every integer the hub stores fits in a double.
pg.types.setTypeParser(INT8_OID, (value) => Number.parseInt(value, 10));

export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  return options.url ? connectPostgres(options.url, options) : connectPglite(options);
}

function connectPostgres(url: string, options: ConnectOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  const location = new URL(url);
  location.password = '';
  return { db, kind: 'postgres', location: location.toString(), close: () => db.destroy() };
}

async function connectPglite(options: ConnectOptions): Promise<DatabaseHandle> {
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    parsers: { [INT8_OID]: (value: string) => Number.parseInt(value, 10) },
  });
  const db = new Kysely<Database>({
    dialect: new PGliteDialect(client),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    kind: 'pglite',
    location: dataDir,
    pglite: client,
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}
