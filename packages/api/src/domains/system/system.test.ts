import { readFileSync } from 'node:fs';
import { checkServerVersion, compareVersions, SDK_VERSION } from '@phoenix/sdk';
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

  it('reports the version, the Node runtime it runs on and the SDK it was built with', async () => {
    const version = await server.client().system.version.query();
    expect(version.name).toBe('phoenix-hub');
    expect(version.node).toMatch(/^v24\./);
    const sdkManifest = new URL('../../../../sdk/package.json', import.meta.url);
    const { version: sdkVersion } = JSON.parse(readFileSync(sdkManifest, 'utf8'));
    expect(version.sdkVersion).toBe(sdkVersion);
    expect(SDK_VERSION).toBe(sdkVersion);
  });

  it('lets the SDK check it was built for this hub', async () => {
    const check = await checkServerVersion(server.client());
    expect(check).toMatchObject({ sdkVersion: SDK_VERSION, serverSdkVersion: SDK_VERSION });
    expect(check.compatible).toBe(true);
    expect(check.warning).toBeUndefined();
  });

  it('warns an SDK whose version may not match the hub, after semver', async () => {
    const answer = await server.client().system.version.query();
    const against = (sdk: string, built: string) =>
      compareVersions({ ...answer, sdkVersion: built }, sdk);
    expect(against('0.1.4', '0.1.0').compatible).toBe(true);
    expect(against('1.4.0', '1.0.2').compatible).toBe(true);
    // While 0.x a minor bump may break; after 1.0, a major one.
    const older = against('0.1.0', '0.2.0');
    expect(older.compatible).toBe(false);
    expect(older.warning).toMatch(/@phoenix\/sdk 0\.1\.0 .*install @phoenix\/sdk@0\.2\.0/);
    expect(against('2.0.0', '1.9.9').compatible).toBe(false);
    expect(against('0.3.0-next.1', '0.2.0').compatible).toBe(false);
    expect(against('snapshot', 'snapshot').compatible).toBe(true);
    expect(against('snapshot', '0.1.0').compatible).toBe(false);
  });
});
