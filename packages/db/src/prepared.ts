import { CompiledQuery, type Kysely, type QueryResult, type RawBuilder, sql } from 'kysely';
import type { Database } from './database.ts';

const MARK = /^\/\* prepared: ([a-z][\w.-]*) \*\//;

/** A statement's parameters, as the expressions its SQL is written with. */
export type StatementParams<P> = { readonly [K in keyof P]: RawBuilder<P[K]> };

export interface PreparedStatement<P, R> {
  execute(db: Kysely<Database>, params: P): Promise<QueryResult<R>>;
}

/** Every name given in this process: a name stands for one text on every connection. */
const names = new Set<string>();

/** Stands for one parameter while the statement is compiled. */
class Slot {
  readonly key: string;
  constructor(key: string) {
    this.key = key;
  }
}

/**
 * A hot statement, compiled to SQL once per process and parsed and planned by Postgres
 * once per connection: its text starts with `/* prepared: <name> *\/`, which the pool turns
 * into a named prepared statement (and which shows in `pg_stat_activity`). Building the
 * SQL and letting Postgres plan it again was, for the gateway's two statements per billed
 * call, a fifth of Kysely's and half of Postgres's work. `build` writes the statement with
 * each parameter as `params.<key>`; each execution gives the values by key.
 *
 * Only for statements whose result columns are their own (no `select *`): a prepared
 * statement fails once a migration changes the columns it returns.
 */
export function preparedStatement<P extends object, R>(
  name: string,
  build: (params: StatementParams<P>) => RawBuilder<R>,
): PreparedStatement<P, R> {
  if (!MARK.test(`/* prepared: ${name} */`)) throw new Error(`bad prepared statement name ${name}`);
  // Two texts under one name would fail only on connections that prepared the other one.
  if (names.has(name)) throw new Error(`a prepared statement named ${name} already exists`);
  names.add(name);
  let compiled: { text: string; keys: (keyof P)[] } | undefined;
  const compile = (db: Kysely<Database>) => {
    const slots = new Proxy({} as StatementParams<P>, {
      get: (_, key) => sql.val(new Slot(String(key))),
    });
    const query = sql<R>`${sql.raw(`/* prepared: ${name} */`)} ${build(slots)}`.compile(db);
    const keys = query.parameters.map((slot) => {
      if (!(slot instanceof Slot)) throw new Error(`${name}: a value is not a parameter`);
      return slot.key as keyof P;
    });
    return { text: query.sql, keys };
  };
  return {
    async execute(db, params) {
      compiled ??= compile(db);
      const values = compiled.keys.map((key) => params[key]);
      return db.executeQuery(CompiledQuery.raw(compiled.text, values) as CompiledQuery<R>);
    },
  };
}

/** The prepared statement's name a statement text asks for, if any. */
export function preparedName(text: string): string | undefined {
  return text.startsWith('/* prepared: ') ? MARK.exec(text)?.[1] : undefined;
}
