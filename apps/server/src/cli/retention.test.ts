import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@phoenix/db';
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
