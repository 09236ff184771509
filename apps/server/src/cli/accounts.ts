import { createInterface } from 'node:readline/promises';
import { seedDefaultTemplates } from '@phoenix/api/templates';
import { assertPasswordAllowed } from '@phoenix/auth';
import type { Config } from '@phoenix/config';
import { DomainError } from '@phoenix/errors';
import { DEMO_USER, ensureDemoUser, upsertAccount } from '../accounts.ts';
import { withDatabase } from './database.ts';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** `create-admin --email E --password P [--name N]`, or ADMIN_EMAIL/ADMIN_PASSWORD, or prompts. */
export async function createAdminCommand(
  config: Config,
  flags: Record<string, string | boolean | undefined>,
) {
  const pick = (flag: string, variable: string) => {
    const value = flags[flag];
    return typeof value === 'string' ? value : process.env[variable];
  };
  const interactive = Boolean(process.stdin.isTTY);
  const email =
    pick('email', 'ADMIN_EMAIL') ?? (interactive ? await ask('Admin email: ') : undefined);
  const password =
    pick('password', 'ADMIN_PASSWORD') ?? (interactive ? await ask('Admin password: ') : undefined);
  const name = pick('name', 'ADMIN_NAME') ?? 'Administrator';
  if (!email || !password) {
    console.error('create-admin needs --email and --password (or ADMIN_EMAIL and ADMIN_PASSWORD).');
    return 2;
  }
  try {
    // Refused before the database is opened: a weak password should not wait on a migration.
    assertPasswordAllowed(password, { email });
    const outcome = await withDatabase(config, (db) =>
      upsertAccount(db, { email, password, displayName: name, role: 'admin' }),
    );
    console.log(`${outcome === 'created' ? 'created' : 'updated'} administrator ${email}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`create-admin: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

export async function seedCommand(config: Config) {
  const { created, templates } = await withDatabase(config, async (db) => ({
    created: await ensureDemoUser(db),
    // Missing default email templates only: the ones admins edited stay as they are.
    templates: await seedDefaultTemplates(db),
  }));
  console.log(
    created
      ? `created demo user ${DEMO_USER.email} / ${DEMO_USER.password}`
      : `demo user ${DEMO_USER.email} already exists`,
  );
  console.log(`seeded ${templates} default email templates`);
  return 0;
}
