import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startAdminTestServer } from '../domains/admin/testing.ts';
import type { TestServer } from '../testing/index.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer({ env: { ADMIN_EXPORTS_PER_MINUTE: '3' } });
  admin = await signUp(server, 'exporter', { admin: true });
  // 1,200 audit rows: more than two of the export's read batches.
  const target = await signUp(server, 'target');
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
    const plain = await signUp(server, 'plain');
    expect((await get('/admin/audit/export.csv', plain.token)).status).toBe(403);
    const bad = await get('/admin/audit/export.csv?from=yesterday-ish', admin.token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'from' } });
    const limited = await get('/admin/audit/export.csv', admin.token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
