import { type Kysely, sql } from 'kysely';

/**
 * Zones stored before inputs were checked against Postgres: a name it does not know
 * (`US/Pacific-New`) made every Rise query of that user fail, and a POSIX offset (`+14:00`)
 * was read with its sign reversed. Known names get Postgres's spelling; the rest become UTC.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    with usable as (
      select name from pg_timezone_names
      where name not like 'posix/%' and name not in ('localtime', 'posixrules', 'Factory')
    )
    update users u set time_zone = coalesce(
      (select z.name from usable z where lower(z.name) = lower(u.time_zone) order by z.name limit 1),
      'UTC')
    where u.time_zone not in (select name from usable)
  `.execute(db);
}

/** Nothing to undo: the zones replaced were unusable. */
export async function down(): Promise<void> {}
