import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, sql } from '@phoenix/db';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate } from '../testing/copy-template.ts';
import { run } from '../testing/run.ts';

const cli = resolve(import.meta.dirname, 'index.ts');
const scratch = mkdtempSync(join(tmpdir(), 'phoenix-retention-'));
const dataDir = copyTemplate('migrated', join(scratch, 'data'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function withDb<T>(work: (db: Awaited<ReturnType<typeof connect>>['db']) => Promise<T>) {
  const handle = await connect({ dataDir });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

describe('phoenix audit-retention', () => {
  it('deletes audit rows older than N days and records that it did', async () => {
    await withDb((db) =>
      db
        .insertInto('adminAuditLog')
        .values([
          { action: 'old', resourceType: 't', createdAt: new Date(Date.now() - 100 * 86_400_000) },
          { action: 'recent', resourceType: 't' },
        ])
        .execute(),
    );
    const refused = await run(process.execPath, [cli, 'audit-retention', '--days', '7'], { env });
    expect(refused.code).toBe(2);
    const result = await run(process.execPath, [cli, 'audit-retention', '--days', '90'], { env });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/deleted 1 rows older than 90 days/);
    const actions = await withDb((db) =>
      db.selectFrom('adminAuditLog').select('action').orderBy('id').execute(),
    );
    expect(actions.map((a) => a.action)).toEqual(['recent', 'cli.audit-retention']);
  });
});

describe('phoenix retention', () => {
  it('prints what would go with --dry-run, then deletes it and audits the counts', async () => {
    const old = new Date(Date.now() - 1_000 * 86_400_000);
    await withDb(async (db) => {
      const user = await db
        .insertInto('users')
        .values({ email: 'retention@example.com', displayName: 'r', passwordHash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('activityEvents')
        .values([
          { userId: user.id, action: 'auth.login', createdAt: old },
          { userId: user.id, action: 'auth.login' },
        ])
        .execute();
      await db
        .insertInto('emailLogs')
        .values({
          trigger: 'welcome',
          locale: 'en',
          userId: user.id,
          toEmail: 'retention@example.com',
        })
        .execute();
      await sql`update email_logs set status = 'sent', created_at = ${old}`.execute(db);
    });
    const dry = await run(process.execPath, [cli, 'retention', '--dry-run'], { env });
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toMatch(
      /activity \(activity_events\): would delete 1 rows older than 400 days/,
    );
    expect(dry.stdout).toMatch(/email log \(email_logs\): would delete 1 rows older than 180 days/);
    expect(dry.stdout).toMatch(/dry run, nothing deleted/);
    const real = await run(process.execPath, [cli, 'retention'], { env });
    expect(real.stdout).toMatch(/activity \(activity_events\): deleted 1 rows/);
    const after = await withDb(async (db) => ({
      activity: (await db.selectFrom('activityEvents').select('id').execute()).length,
      emails: (await db.selectFrom('emailLogs').select('id').execute()).length,
      audit: await db
        .selectFrom('adminAuditLog')
        .select(['newValue', 'userAgent'])
        .where('action', '=', 'gdpr.retention')
        .execute(),
    }));
    expect(after).toMatchObject({ activity: 1, emails: 0 });
    const audit = after.audit;
    expect(audit).toHaveLength(1);
    expect(audit[0]?.userAgent).toBe('phoenix-cli retention');
    expect((audit[0]?.newValue as { counts?: unknown[] } | undefined)?.counts).toContainEqual(
      expect.objectContaining({ table: 'activity_events', days: 400, rows: 1 }),
    );
    // Two CLI processes, each starting the embedded database: slow on a loaded machine.
  }, 120_000);
});
