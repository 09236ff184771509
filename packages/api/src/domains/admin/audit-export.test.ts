import { request } from 'node:http';
import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/index.ts';
import { signUp, startAdminTestServer } from '../../testing/index.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer({ env: { ADMIN_EXPORTS_PER_MINUTE: '3' } });
  admin = await signUp(server, { label: 'exporter', role: 'admin' });
  // 1,200 audit rows: more than two of the export's read batches.
  const target = await signUp(server, { label: 'target' });
  const rows = Array.from({ length: 1200 }, (_, i) => ({
    adminId: admin.id,
    action: 'admin.users.update',
    resourceType: 'user',
    resourceId: target.id,
    oldValue: JSON.stringify({ tier: 'FREE' }),
    newValue: JSON.stringify({ tier: i % 2 ? 'PREMIUM' : 'FREE', note: 'comma, "quote"' }),
  }));
  await server.deps.db.insertInto('adminAuditLog').values(rows).execute();
  await admin.client.admin.users.update.mutate({ userId: target.id, tier: 'PREMIUM' });
});
afterAll(() => server.close());

const get = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('streaming audit export', () => {
  it('streams every row as CSV with a header and escaped fields', async () => {
    const res = await get('/admin/audit/export.csv', admin.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="audit-log_.*\.csv"/,
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('id,adminId,adminEmail,action')).toBe(true);
    expect(lines.length - 1).toBeGreaterThanOrEqual(1201);
    // JSON inside a CSV field: quoted, inner quotes doubled, the comma kept inside the field.
    expect(lines[1]).toContain('""note"":""comma, \\""quote\\""""');
  });

  it('streams NDJSON with the list filters', async () => {
    const res = await get(
      '/admin/audit/export.ndjson?action=admin.users.update&resourceType=user',
      admin.token,
    );
    const rows = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; action: string });
    expect(rows.length).toBeGreaterThanOrEqual(1201);
    expect(rows.every((r) => r.action === 'admin.users.update')).toBe(true);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => a - b));
  });

  it('refuses anonymous callers, non-admins, bad filters, and spends the export budget', async () => {
    expect((await get('/admin/audit/export.csv')).status).toBe(401);
    const plain = await signUp(server, { label: 'plain' });
    expect((await get('/admin/audit/export.csv', plain.token)).status).toBe(403);
    const bad = await get('/admin/audit/export.csv?from=yesterday-ish', admin.token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'from' } });
    // Two exports were spent above and refused queries spend nothing: one is left.
    expect((await get('/admin/audit/export.ndjson?action=none', admin.token)).status).toBe(200);
    const limited = await get('/admin/audit/export.csv', admin.token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses, before the first byte, a query the database could not run', async () => {
    const cases: [string, string][] = [
      ['from=-200000-01-01', 'from'],
      ['to=%2B275760-09-13', 'to'],
      ['from=1899-12-31', 'from'],
      ['to=10000-01-01', 'to'],
      ['action=%00', 'action'],
      ['resourceId=a%00b', 'resourceId'],
      ['adminId=not-a-uuid', 'adminId'],
      ['acton=admin.users.update', 'acton'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/admin/audit/export.ndjson?${query}`, admin.token);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field } });
    }
  });
});

describe('streaming audit export when the database fails mid-stream', () => {
  let big: TestServer;
  let bigAdmin: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    big = await startAdminTestServer();
    bigAdmin = await signUp(big, { label: 'big-exporter', role: 'admin' });
    // Three read batches of ~10 MB each: more than socket buffers hold, so the export is
    // still reading the database while the client holds back.
    const padding = 'p'.repeat(20_000);
    for (let batch = 0; batch < 3; batch++) {
      const rows = Array.from({ length: 500 }, () => ({
        adminId: bigAdmin.id,
        action: 'admin.users.update',
        resourceType: 'user',
        newValue: JSON.stringify({ padding }),
      }));
      await big.deps.db.insertInto('adminAuditLog').values(rows).execute();
    }
  });
  afterAll(() => big.close());

  it('aborts the response (a truncated body, never a clean end) and the server lives on', async () => {
    const outcome = await new Promise<{ status?: number; complete: boolean; bytes: number }>(
      (resolve, reject) => {
        const req = request(`${big.url}/admin/audit/export.ndjson`, {
          headers: { authorization: `Bearer ${bigAdmin.token}` },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.once('data', () => {
            res.pause();
            // The table goes away under the export: its next read fails.
            void sql`alter table admin_audit_log rename to admin_audit_log_away`
              .execute(big.deps.db)
              .then(() => res.resume(), reject);
          });
          res.on('error', () => undefined);
          res.on('close', () => resolve({ status: res.statusCode, complete: res.complete, bytes }));
        });
        req.end();
      },
    );
    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    expect(outcome.bytes).toBeGreaterThan(0);
    await sql`alter table admin_audit_log_away rename to admin_audit_log`.execute(big.deps.db);
    expect((await fetch(`${big.url}/healthz`)).status).toBe(200);
  });
});
