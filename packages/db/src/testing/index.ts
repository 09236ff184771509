import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type DatabaseHandle } from '../connect.ts';
import { migrateUp } from '../migrate.ts';

export interface TestDatabase extends DatabaseHandle, AsyncDisposable {
  /** The schema holding this file's tables on real Postgres; undefined on PGlite. */
  schema: string | undefined;
}

/**
 * A migrated database of its own for one test file: a fresh schema on the real
 * Postgres named by TEST_DATABASE_URL, or an in-memory PGlite. Dropped on dispose.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const handle = await connect({ dataDir: 'memory://' });
    await migrateUp(handle.db);
    return { ...handle, schema: undefined, [Symbol.asyncDispose]: () => handle.close() };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create schema "${schema}"`);
  const handle = await connect({ url, schema, poolMax: 5 });
  const close = async () => {
    await handle.close();
    await adminQuery(url, `drop schema if exists "${schema}" cascade`);
  };
  try {
    await migrateUp(handle.db);
  } catch (error) {
    await close();
    throw error;
  }
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
