import type { ColumnType, Generated, Selectable } from 'kysely';

/** Append-only log of domain events (`platform/events` in the api package writes it). */
export interface DomainEventsTable {
  id: Generated<string>;
  type: string;
  /** jsonb: written as a JSON string, read parsed. */
  payload: ColumnType<unknown, string, never>;
  occurredAt: ColumnType<Date, Date | undefined, never>;
}

export type DomainEventRow = Selectable<DomainEventsTable>;
