import { loadConfig } from '@phoenix/config';
import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { createTestKv } from '@phoenix/kv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppDeps } from '../root.ts';
import { createHttpApp, createLogger } from './index.ts';

/**
 * One access line per request, written by a logger that skips the redaction paths (the
 * line's fields are fixed); every other line still goes through them.
 */

let database: TestDatabase;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

function hub(env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...env });
  const log = createLogger(config, {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const deps = createAppDeps({ config, db: database.db, kv: createTestKv(), log });
  return { deps, app: createHttpApp(deps) };
}

describe('access log', () => {
  it('writes one line per request with its id, method, path, status and time, and no credential', async () => {
    const { app } = hub({ LOG_REQUESTS: 'true' });
    lines.length = 0;
    const res = await app.request('/trpc/system.version?input=%7B%7D', {
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(res.status).toBe(200);
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      requestId: res.headers.get('x-request-id'),
      method: 'GET',
      path: '/trpc/system.version',
      status: 200,
      service: 'phoenix-hub',
    });
    expect(typeof access[0]?.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('not-a-real-token');
  });

  it('logs a route whose parameters can be secret by its pattern, never the token', async () => {
    const { app } = hub({ LOG_REQUESTS: 'true' });
    lines.length = 0;
    const res = await app.request('/gdpr/download/a-signed-download-token');
    expect(res.status).toBeGreaterThanOrEqual(400);
    const access = lines.filter((l) => l.msg === 'request');
    expect(access.map((l) => l.path)).toEqual(['/gdpr/download/:token']);
    expect(JSON.stringify(lines)).not.toContain('a-signed-download-token');
  });

  it('is off with LOG_REQUESTS=false, and other lines are still redacted', async () => {
    const { app, deps } = hub({ LOG_REQUESTS: 'false' });
    lines.length = 0;
    await app.request('/trpc/system.version?input=%7B%7D');
    expect(lines.filter((l) => l.msg === 'request')).toEqual([]);
    deps.log.info({ user: { password: 'hunter2' }, token: 't0ken' }, 'credentials');
    const line = lines.find((l) => l.msg === 'credentials');
    expect(line).toMatchObject({ user: { password: '[redacted]' }, token: '[redacted]' });
  });
});
