import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.ts';

describe('system', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('reports database and kv health through the SDK', async () => {
    const health = await server.client().system.health.query();
    expect(health.status).toBe('ok');
    expect(health.database).toMatchObject({ ok: true, error: null });
    expect(health.kv).toMatchObject({
      ok: true,
      kind: process.env.TEST_REDIS_URL ? 'redis' : 'memory',
    });
  });

  it('reports the version and the Node runtime it runs on', async () => {
    const version = await server.client().system.version.query();
    expect(version.name).toBe('phoenix-hub');
    expect(version.node).toMatch(/^v24\./);
  });
});
