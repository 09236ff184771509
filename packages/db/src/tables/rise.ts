import type { ColumnType, Generated, Selectable } from 'kysely';

export type ZazenTrigger = 'stress' | 'decision' | 'routine' | 'other';

export interface KaizenActionsTable {
  id: Generated<string>;
  userId: string;
  text: string;
  /**
   * A calendar day (Postgres `date`), written as `YYYY-MM-DD`. Drivers parse `date` into a
   * Date at local midnight, which shifts the day in zones west of the server: read it through
   * `to_char(date, 'YYYY-MM-DD')`.
   */
  date: ColumnType<Date, string, string>;
  completedAt: Date | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export interface ZazenSessionsTable {
  id: Generated<string>;
  userId: string;
  startedAt: Date;
  durationSeconds: number;
  trigger: ZazenTrigger;
  notes: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

/** Tables of the rise domain, merged into `Database`. */
export interface RiseTables {
  kaizenActions: KaizenActionsTable;
  zazenSessions: ZazenSessionsTable;
}

export type KaizenActionRow = Selectable<KaizenActionsTable>;
export type ZazenSessionRow = Selectable<ZazenSessionsTable>;
