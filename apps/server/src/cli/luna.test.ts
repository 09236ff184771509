import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@phoenix/db';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate } from '../testing/copy-template.ts';
import { run } from '../testing/run.ts';

const cli = resolve(import.meta.dirname, 'index.ts');
const scratch = mkdtempSync(join(tmpdir(), 'phoenix-luna-'));
const dataDir = copyTemplate('migrated', join(scratch, 'data'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('phoenix luna rebuild', () => {
  // Four CLI processes, each opening the embedded database: slow on a busy machine.
  it('replays streams into lost read models, for one user or all, with progress lines', {
    timeout: 300_000,
  }, async () => {
    const conversationId = crypto.randomUUID();
    const userId = await (async () => {
      const handle = await connect({ dataDir });
      try {
        const { id } = await handle.db
          .insertInto('users')
          .values({ email: 'luna-cli@example.com', displayName: 'L', passwordHash: 'x' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await handle.db
          .insertInto('lunaEnergy')
          .values({ userId: id, balance: 1, asOfMs: 0, position: 1 })
          .execute();
        await handle.db
          .insertInto('lunaEvents')
          .values({
            userId: id,
            version: 1,
            type: 'conversation.started',
            schemaVersion: 1,
            payload: JSON.stringify({ conversationId, title: 'From the stream' }),
            tsMs: Date.parse('2026-06-01T08:00:00Z'),
            requestId: null,
          })
          .execute();
        return id;
      } finally {
        await handle.close();
      }
    })();

    const usage = await run(process.execPath, [cli, 'luna', 'replay'], { env });
    expect(usage.code).toBe(2);
    const result = await run(process.execPath, [cli, 'luna', 'rebuild', '--user', userId], { env });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/luna rebuild: 1\/1 users, 1 events/);
    expect(result.stdout).toMatch(/done, 1 users, 1 events/);

    const conversations = async () => {
      const handle = await connect({ dataDir });
      try {
        return await handle.db
          .selectFrom('lunaConversations')
          .select(['id', 'title'])
          .where('userId', '=', userId)
          .execute();
      } finally {
        await handle.close();
      }
    };
    expect(await conversations()).toEqual([{ id: conversationId, title: 'From the stream' }]);

    // Every stream, into fresh tables swapped in at the end.
    const all = await run(process.execPath, [cli, 'luna', 'rebuild'], { env });
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/luna rebuild: 1\/1 users, 1 events/);
    expect(all.stdout).toMatch(/done, 1 users, 1 events/);
    expect(await conversations()).toEqual([{ id: conversationId, title: 'From the stream' }]);
  });
});
