import { type RawBuilder, sql } from 'kysely';

const MARK = /^\/\* prepared: ([a-z][\w.-]*) \*\//;

/**
 * A hot statement Postgres parses and plans once per connection: its text starts with
 * `/* prepared: <name> *\/`, which the pool turns into a named prepared statement (and which
 * shows in `pg_stat_activity`). Only for statements whose result columns are their own
 * (no `select *`): a prepared statement fails if a migration changes the columns it returns.
 */
export function prepared<T>(name: string, statement: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(`/* prepared: ${name} */`)} ${statement}`;
}

/** The prepared statement's name a statement text asks for, if any. */
export function preparedName(text: string): string | undefined {
  return text.startsWith('/* prepared: ') ? MARK.exec(text)?.[1] : undefined;
}
