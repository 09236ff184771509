import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type DatabaseHandle, type DatabaseTimeouts } from '../connect.ts';
import { migrateUp } from '../migrate.ts';

export interface TestDatabase extends DatabaseHandle, AsyncDisposable {
  /** The schema holding this file's tables on real Postgres; undefined on PGlite. */
  schema: string | undefined;
}

export interface TestDatabaseOptions {
  url?: string | undefined;
  /**
   * Where the handle connects when not `url` itself (a fault proxy in front of it): the
   * schema is made, migrated and dropped through `url`, so a fault never blocks clean-up.
   */
  via?: string;
  timeouts?: DatabaseTimeouts;
  /** Connections in the pool (5 unless given). */
  poolMax?: number;
  preparedStatements?: boolean;
  onConnectionError?: (error: Error) => void;
}

/**
 * A migrated database of its own for one test file (or one bench run): a fresh schema
 * on the real Postgres at `url` (TEST_DATABASE_URL unless given), or an in-memory PGlite
 * when there is none. Dropped on dispose, so nothing lands in the database's public schema.
 */
export async function createTestDatabase(
  options: TestDatabaseOptions = { url: process.env.TEST_DATABASE_URL },
): Promise<TestDatabase> {
  const { url, via, ...connection } = options;
  if (!url) {
    const handle = await connect({ dataDir: 'memory://' });
    await migrateUp(handle.db);
    return { ...handle, schema: undefined, [Symbol.asyncDispose]: () => handle.close() };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create schema "${schema}"`);
  const dropSchema = () => adminQuery(url, `drop schema if exists "${schema}" cascade`);
  let handle = await connect({ url, schema, poolMax: 5, ...connection });
  try {
    await migrateUp(handle.db);
  } catch (error) {
    await handle.close();
    await dropSchema();
    throw error;
  }
  if (via) {
    await handle.close();
    handle = await connect({ url: via, schema, poolMax: 5, ...connection });
  }
  const close = async () => {
    await handle.close();
    await dropSchema();
  };
  return { ...handle, schema, close, [Symbol.asyncDispose]: close };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
