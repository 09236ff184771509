import {
  CompiledQuery,
  type Database,
  type DatabaseHandle,
  type DatabaseTimeouts,
  DEFAULT_DATABASE_TIMEOUTS,
  type Kysely,
} from '@phoenix/db';
import { type Db, fromKysely } from 'pg-boss';

type PGliteClient = NonNullable<DatabaseHandle['pglite']>;

/** Where pg-boss keeps its tables: a Postgres it reaches with its own pool, or our PGlite. */
export type JobStore =
  | { kind: 'postgres'; url: string; schema: string; poolMax: number; timeouts: DatabaseTimeouts }
  | { kind: 'pglite'; client: PGliteClient; schema: string };

/** The store for an open database: the same database, pg-boss's tables in `schema`. */
export function jobStoreFor(
  database: Pick<DatabaseHandle, 'kind' | 'pglite'>,
  options: {
    url?: string | undefined;
    schema: string;
    poolMax: number;
    timeouts?: DatabaseTimeouts;
  },
): JobStore {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('PGlite handle without its client');
    return { kind: 'pglite', client: database.pglite, schema: options.schema };
  }
  if (!options.url) throw new Error('A Postgres job store needs the database URL');
  return {
    kind: 'postgres',
    url: options.url,
    schema: options.schema,
    poolMax: options.poolMax,
    timeouts: options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS,
  };
}

/**
 * pg-boss over our PGlite. PGlite is one connection, and Kysely's PGlite driver lends it to
 * one caller at a time (a transaction holds it from BEGIN to COMMIT). pg-boss's statements
 * must wait their turn the same way, or they would run inside someone else's transaction:
 * so each goes through a connection borrowed from Kysely. Parameterless text may be several
 * statements (schema setup, `BEGIN; ... COMMIT;` blocks), which only PGlite's `exec` runs;
 * the borrowed connection guarantees nothing else runs in between.
 */
export function pgliteExecutor(db: Kysely<Database>, client: PGliteClient): Db {
  const raw = db.withoutPlugins();
  return {
    executeSql(text: string, values?: unknown[]) {
      return raw.connection().execute(async (connection) => {
        if (values && values.length > 0) {
          const result = await connection.executeQuery(CompiledQuery.raw(text, values));
          return { rows: [...result.rows] };
        }
        try {
          const results = await client.exec(text);
          return { rows: results.flatMap((result) => result.rows) };
        } catch (error) {
          // A failed block leaves the one connection in an aborted transaction.
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
      });
    },
  };
}

/** pg-boss statements inside the caller's Kysely transaction (CamelCase plugin off: pg-boss reads snake_case). */
export function inTransaction(trx: Kysely<Database>): Db {
  return fromKysely(trx.withoutPlugins());
}
