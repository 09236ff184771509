import type { Config } from '@phoenix/config';
import { connect, type Database, type DatabaseHandle, type Kysely, migrateUp } from '@phoenix/db';

/** The configured database for one CLI command: one connection, the configured deadlines. */
export function openDatabase(config: Config): Promise<DatabaseHandle> {
  return connect({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolMax: 1,
    preparedStatements: config.database.preparedStatements,
    timeouts: config.database.timeouts,
  });
}

/** Runs `work` on the migrated database, closing it afterwards whatever happens. */
export async function withDatabase<T>(
  config: Config,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrateUp(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
