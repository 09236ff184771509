import { assertPasswordAllowed, hashPassword } from '@phoenix/auth';
import { type Database, type Kysely, sql } from '@phoenix/db';

export const DEMO_USER = {
  email: 'demo@phoenix.local',
  password: 'phoenix-demo-sunrise',
  displayName: 'Demo User',
} as const;

/**
 * Creates the account, or (for an existing email) sets its role and password. Used by
 * `create-admin` and `seed`; the password policy applies as it does to everyone.
 */
export async function upsertAccount(
  db: Kysely<Database>,
  account: { email: string; password: string; displayName: string; role: 'user' | 'admin' },
): Promise<'created' | 'updated'> {
  assertPasswordAllowed(account.password, { email: account.email });
  const passwordHash = await hashPassword(account.password);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', account.email.toLowerCase())
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('users')
        .set({ role: account.role, passwordHash, active: true, updatedAt: new Date() })
        .where('id', '=', existing.id)
        .execute();
      // A new password ends every session, as a reset does: recovering a taken-over
      // administrator must sign the intruder out. (Running servers drop their cached
      // copies within SESSION_CACHE_TTL_SECONDS: this command does not reach their kv.)
      await trx.deleteFrom('sessions').where('userId', '=', existing.id).execute();
      return 'updated';
    }
    await trx
      .insertInto('users')
      .values({
        email: account.email,
        displayName: account.displayName,
        passwordHash,
        role: account.role,
      })
      .execute();
    return 'created';
  });
}

/** The demo account exists (created once; an existing one is left as its owner changed it). */
export async function ensureDemoUser(db: Kysely<Database>): Promise<boolean> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', DEMO_USER.email)
    .executeTakeFirst();
  if (existing) return false;
  await upsertAccount(db, { ...DEMO_USER, role: 'user' });
  return true;
}
