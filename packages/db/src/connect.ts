import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { markRaisedBy } from '@phoenix/errors';
import {
  CamelCasePlugin,
  Kysely,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './database.ts';
import { preparedName } from './prepared.ts';

const INT8_OID = 20;

export interface ConnectOptions {
  /** Postgres URL; when absent an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory. */
  dataDir?: string;
  poolMax?: number;
  /**
   * Statements made by `preparedStatement` run as named prepared statements (true unless
   * given); off, they are sent as plain text (a pooler that cannot carry them).
   */
  preparedStatements?: boolean;
  /** The only Postgres schema on the search path (test isolation: nothing falls through to public). */
  schema?: string;
  /** Deadlines for Postgres; node-postgres's own defaults wait forever. */
  timeouts?: DatabaseTimeouts;
  /**
   * Told of a connection that failed outside any query (reset while idle, or between two
   * statements of a transaction). Without a listener node-postgres would end the process.
   */
  onConnectionError?: (error: Error) => void;
}

export interface DatabaseTimeouts {
  /** Longest wait for a connection, whether a free pooled one or a new one. */
  connectMs: number;
  /** Server-side limit per statement (`statement_timeout`). */
  statementMs: number;
  /** Idle pooled connections are closed after this long. */
  idleMs?: number;
}

/** Used when a caller gives none: a few seconds, never forever. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 2_000,
  statementMs: 5_000,
  idleMs: 10_000,
};

// The client-side deadline comes after the server's own, so a live but slow server answers
// with its cancellation first; the client deadline only fires when the server is silent.
const CLIENT_DEADLINE_MARGIN_MS = 1_000;

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
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + CLIENT_DEADLINE_MARGIN_MS,
    idleTimeoutMillis: timeouts.idleMs ?? DEFAULT_DATABASE_TIMEOUTS.idleMs,
    // Finds connections a vanished server left half-open.
    keepAlive: true,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const onError = (error: Error) => {
    markRaisedBy(error, 'database');
    options.onConnectionError?.(error);
  };
  // An idle connection's error is emitted on the pool; a checked-out one's on its client,
  // which the pool leaves without a listener while Kysely holds it (in a transaction).
  // Both are logged here; the broken client is dropped when released (pg-pool checks it).
  // node-postgres emits a socket error on its client before failing the queries with that
  // same error (they are failed on the next tick), so they reach their callers marked.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: kyselyPool(pool, options.preparedStatements ?? true) }),
    plugins: [new CamelCasePlugin()],
  });
  const location = new URL(url);
  location.password = '';
  return { db, kind: 'postgres', location: location.toString(), close: () => db.destroy() };
}

/**
 * The pool as Kysely uses it: a connection that cannot be opened (refused, reset, timed
 * out) fails with its error marked as the database's (one more promise per checkout), and
 * a statement made by `preparedStatement` runs as a named prepared statement.
 */
function kyselyPool(pool: pg.Pool, prepare: boolean): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PreparingClient>();
  return {
    connect: () =>
      pool.connect().then(
        (client) => {
          const known = clients.get(client);
          if (known) return known;
          const preparing = new PreparingClient(client, prepare);
          clients.set(client, preparing);
          return preparing;
        },
        (error: unknown) => {
          throw markRaisedBy(error, 'database');
        },
      ),
    end: () => pool.end(),
  };
}

/** A pooled client that sends a statement made by `preparedStatement` under its name. */
class PreparingClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  readonly #prepare: boolean;

  constructor(client: pg.PoolClient, prepare: boolean) {
    this.#client = client;
    this.#prepare = prepare;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    statement: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // A cursor (Kysely's `stream()`) is a pg-cursor, which pg runs as the Submittable it is.
    if (typeof statement !== 'string')
      return this.#client.query(statement as PostgresCursor<R> & pg.Submittable);
    const name = this.#prepare ? preparedName(statement) : undefined;
    const values = parameters as unknown[];
    const result = name
      ? this.#client.query({ name, text: statement, values })
      : this.#client.query(statement, values);
    // pg's result is Kysely's shape; only its row type parameter is constrained differently.
    return result as unknown as Promise<PostgresQueryResult<R>>;
  }

  release(): void {
    this.#client.release();
  }
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
