import type { ColumnType, Generated, Selectable } from 'kysely';

/** What users did (register, login, domain actions): feeds stats, funnels and churn. */
export interface ActivityEventsTable {
  id: Generated<number>;
  userId: string;
  /** Dotted name, e.g. `auth.login`, `rise.kaizen.completed`. */
  action: string;
  resourceId: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export type ActivityEventRow = Selectable<ActivityEventsTable>;
