import type { Migration } from 'kysely';
import * as m0001 from './0001_users.ts';
import * as m0002 from './0002_auth.ts';

/**
 * Migrations in order. Imported statically (not read from disk) so they ship inside
 * any bundle. Names sort by number; a migration never changes once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_users': m0001,
  '0002_auth': m0002,
};
