import { type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder, sql } from '@phoenix/db';
import { invalid } from '@phoenix/errors';
import { z } from 'zod';
import { calendarDate, textProblem } from '../schemas/index.ts';

/**
 * One keyset pagination for every list. The cursor carries the last row's sort values, read
 * from Postgres as text: timestamps as integer microseconds since the epoch (a JS Date keeps
 * only milliseconds, and a rounded cursor skips or repeats rows created in the same
 * millisecond), then the id. A cursor that named the row instead and re-read its values
 * would move with the row when they change (an error seen again, a user logging in).
 */
export type KeyKind = 'micros' | 'date' | 'int' | 'text' | 'uuid';

export interface SortKey {
  /** The SQL the rows are ordered by: a column, or an expression (`lower(email)`). */
  sql: RawBuilder<unknown>;
  kind: KeyKind;
}

export interface Keyset {
  /** Names the list and its sort: a cursor from another list or order is refused. */
  scope: string;
  /** Most significant first; the last is unique (the id), so the order is total. */
  keys: readonly SortKey[];
  order: 'asc' | 'desc';
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Shorthands for the usual keys. */
export const key = {
  micros: (column: string): SortKey => ({ sql: sql.ref(column), kind: 'micros' }),
  uuid: (column = 'id'): SortKey => ({ sql: sql.ref(column), kind: 'uuid' }),
  int: (column = 'id'): SortKey => ({ sql: sql.ref(column), kind: 'int' }),
  date: (column: string): SortKey => ({ sql: sql.ref(column), kind: 'date' }),
};

// What a decoded value must look like before it reaches SQL: a value Postgres would refuse
// (month 13, a 20-digit number) must be the caller's 400, never a 500.
const VALUE: Record<KeyKind, z.ZodType<string>> = {
  // 17 digits reach beyond the year 5000 either way; Postgres holds that range.
  micros: z.string().regex(/^-?\d{1,17}$/),
  date: calendarDate(),
  int: z.string().regex(/^-?\d{1,15}$/),
  text: z
    .string()
    .max(1_000)
    .refine((value) => textProblem(value) === null),
  uuid: z.uuid(),
};

const asText = (k: SortKey): RawBuilder<unknown> => {
  switch (k.kind) {
    case 'micros':
      return sql`((extract(epoch from ${k.sql}) * 1000000)::bigint)::text`;
    case 'date':
      return sql`to_char(${k.sql}, 'YYYY-MM-DD')`;
    default:
      return sql`${k.sql}::text`;
  }
};

const fromText = (kind: KeyKind, value: string): RawBuilder<unknown> => {
  switch (kind) {
    case 'micros':
      return sql`(timestamptz 'epoch' + ${value}::bigint * interval '1 microsecond')`;
    case 'date':
      return sql`${value}::date`;
    case 'int':
      return sql`${value}::bigint`;
    case 'uuid':
      return sql`${value}::uuid`;
    case 'text':
      return sql`${value}::text`;
  }
};

const badCursor = (message = 'Malformed cursor') =>
  invalid(message, { field: 'cursor', reason: 'BAD_CURSOR' });

function decode(keyset: Keyset, cursor: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  const parts = z
    .array(z.string())
    .length(keyset.keys.length + 1)
    .safeParse(parsed);
  if (!parts.success) throw badCursor();
  const [scope, ...values] = parts.data;
  if (scope !== keyset.scope) throw badCursor('This cursor belongs to another list or sort order');
  if (!keyset.keys.every((k, i) => VALUE[k.kind].safeParse(values[i]).success)) throw badCursor();
  return values;
}

/** The row's sort values as text, a JSON array (for a raw SQL select list). */
export function cursorValues(keyset: Keyset): RawBuilder<string[]> {
  return sql<string[]>`json_build_array(${sql.join(keyset.keys.map(asText))})`;
}

/** The column every paged Kysely query selects. */
export function cursorColumn(keyset: Keyset): AliasedRawBuilder<string[], 'cursorKey'> {
  return cursorValues(keyset).as('cursorKey');
}

/** `ORDER BY` for the keyset, in its direction. */
export function orderOf(keyset: Keyset): RawBuilder<unknown> {
  const direction = sql.raw(keyset.order);
  return sql.join(keyset.keys.map((k) => sql`${k.sql} ${direction}`));
}

/** The rows after the cursor (a row comparison, which an index on the keys serves). */
export function afterCursor(keyset: Keyset, cursor: string): RawBuilder<boolean> {
  const values = decode(keyset, cursor);
  const op = sql.raw(keyset.order === 'desc' ? '<' : '>');
  const bound = keyset.keys.map((k, i) => fromText(k.kind, values[i] ?? ''));
  return sql<boolean>`(${sql.join(keyset.keys.map((k) => k.sql))}) ${op} (${sql.join(bound)})`;
}

/** Takes `limit` rows of a `limit + 1` fetch (with `cursorKey`) into a page. */
export function pageOf<T extends { cursorKey: string[] }>(
  keyset: Keyset,
  rows: readonly T[],
  limit: number,
): Page<Omit<T, 'cursorKey'>> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: kept.map(({ cursorKey: _, ...item }) => item),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([keyset.scope, ...last.cursorKey])).toString('base64url')
        : null,
  };
}

/** Runs a Kysely query one page at a time: selects the cursor, orders, filters, limits. */
export async function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keyset: Keyset,
  page: PageRequest,
): Promise<Page<Omit<O & { cursorKey: string[] }, 'cursorKey'>>> {
  let q = query
    .select(cursorColumn(keyset))
    .orderBy(orderOf(keyset))
    .limit(page.limit + 1);
  if (page.cursor) q = q.where(afterCursor(keyset, page.cursor));
  // Kysely cannot resolve the added column's type while the table types are generic here.
  const rows = (await q.execute()) as (O & { cursorKey: string[] })[];
  return pageOf(keyset, rows, page.limit);
}
