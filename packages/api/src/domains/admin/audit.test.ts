import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../platform/audit/redact.ts';
import {
  auditRowsFor,
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../../testing/index.ts';
import { csvField, toCsv } from './audit/csv.ts';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'auditor', role: 'admin' });
});
afterAll(() => server.close());

const DAY = 86_400_000;

describe('audit log contents', () => {
  it('records every note write with old and new values', async () => {
    const u = await signUp(server, { label: 'noted' });
    const note = await admin.client.admin.notes.create.mutate({ userId: u.id, body: 'first call' });
    expect(note).toMatchObject({ body: 'first call', pinned: false, authorEmail: admin.email });
    await admin.client.admin.notes.update.mutate({ noteId: note.id, body: 'edited' });
    await admin.client.admin.notes.pin.mutate({ noteId: note.id, pinned: true });
    const other = await admin.client.admin.notes.create.mutate({ userId: u.id, body: 'second' });
    expect((await admin.client.admin.notes.list.query({ userId: u.id })).map((n) => n.id)).toEqual([
      note.id,
      other.id,
    ]);
    await admin.client.admin.notes.delete.mutate({ noteId: note.id });
    expect((await admin.client.admin.notes.list.query({ userId: u.id })).map((n) => n.id)).toEqual([
      other.id,
    ]);

    const rows = await auditRowsFor(server, note.id);
    expect(rows.map((r) => [r.action, r.oldValue, r.newValue])).toEqual([
      ['admin.notes.create', null, { userId: u.id, body: 'first call', pinned: false }],
      [
        'admin.notes.update',
        { userId: u.id, body: 'first call', pinned: false },
        { userId: u.id, body: 'edited', pinned: false },
      ],
      [
        'admin.notes.pin',
        { userId: u.id, body: 'edited', pinned: false },
        { userId: u.id, body: 'edited', pinned: true },
      ],
      ['admin.notes.delete', { userId: u.id, body: 'edited', pinned: true }, null],
    ]);
    for (const row of rows)
      expect(row).toMatchObject({ adminId: admin.id, resourceType: 'user_note' });
    await expectPhoenixError(admin.client.admin.notes.delete.mutate({ noteId: note.id }), {
      code: 'NOT_FOUND',
    });
    expect(await auditRowsFor(server, note.id)).toHaveLength(4);
  });

  it('redacts secrets at any depth', () => {
    expect(
      redact({
        password: 'p',
        passwordHash: 'h',
        nested: { secretHash: new Uint8Array([1]), refreshToken: 't', at: new Date(0) },
        apiKeysRevoked: 2,
      }),
    ).toEqual({
      password: '[REDACTED]',
      passwordHash: '[REDACTED]',
      nested: {
        secretHash: '[REDACTED]',
        refreshToken: '[REDACTED]',
        at: '1970-01-01T00:00:00.000Z',
      },
      apiKeysRevoked: 2,
    });
  });
});

describe('admin.audit list, get, export', () => {
  it('filters and pages newest first, and reads one entry', async () => {
    const u = await signUp(server, { label: 'paged' });
    for (const body of ['a', 'b', 'c']) {
      await admin.client.admin.notes.create.mutate({ userId: u.id, body });
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.client.admin.audit.list.query({
        action: 'admin.notes.create',
        adminId: admin.id,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const one = await admin.client.admin.audit.get.query({ id: seen[0] ?? 0 });
    expect(one).toMatchObject({ action: 'admin.notes.create', newValue: { body: 'c' } });
    await expectPhoenixError(admin.client.admin.audit.get.query({ id: 999_999_999 }), {
      code: 'NOT_FOUND',
    });
  });

  it('exports a bounded period as CSV or JSON', async () => {
    const from = new Date(Date.now() - DAY);
    const to = new Date(Date.now() + DAY);
    const csv = await admin.client.admin.audit.export.query({ from, to, format: 'csv' });
    expect(csv.rowCount).toBeGreaterThan(0);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,adminId,adminEmail,action,resourceType/);
    expect(lines).toHaveLength(csv.rowCount + 1);
    const json = await admin.client.admin.audit.export.query({ from, to, format: 'json' });
    expect(JSON.parse(json.content)).toHaveLength(json.rowCount);
    await expectPhoenixError(
      admin.client.admin.audit.export.query({ from: new Date(Date.now() - 40 * DAY), to }),
      { code: 'BAD_REQUEST', field: 'to' },
    );
  });

  it('escapes CSV and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
    expect(toCsv(['x'], [{ x: null }])).toBe('x\r\n\r\n');
  });
});

describe('append-only in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit rows through SQL', async () => {
    const u = await signUp(server, { label: 'tamper' });
    await admin.client.admin.users.update.mutate({ userId: u.id, tier: 'PREMIUM' });
    const [row] = await auditRowsFor(server, u.id);
    expect(row).toBeDefined();
    const db = server.deps.db;
    await expect(
      sql`update admin_audit_log set action = 'nothing' where id = ${row?.id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from admin_audit_log where id = ${row?.id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate admin_audit_log`.execute(db)).rejects.toThrow(/append-only/);
    // Setting the purge cutoff by hand cannot reach recent rows either.
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`select set_config('phoenix.audit_purge_before', ${new Date().toISOString()}, true)`.execute(
          trx,
        );
        await sql`delete from admin_audit_log where id = ${row?.id}`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await auditRowsFor(server, u.id)).toEqual([row]);
  });

  it('retention purges only rows older than N days and audits itself', async () => {
    const db = server.deps.db;
    await db
      .insertInto('adminAuditLog')
      .values({
        action: 'old.thing',
        resourceType: 'test',
        resourceId: 'ancient',
        createdAt: new Date(Date.now() - 400 * DAY),
      })
      .execute();
    const before = await db
      .selectFrom('adminAuditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { rows } = await sql<{
      deleted: number;
    }>`select admin_purge_audit_log(365, 'test') as deleted`.execute(db);
    expect(rows[0]?.deleted).toBe(1);
    expect(await auditRowsFor(server, 'ancient')).toEqual([]);
    const self = await db
      .selectFrom('adminAuditLog')
      .selectAll()
      .where('action', '=', 'cli.audit-retention')
      .executeTakeFirstOrThrow();
    expect(self).toMatchObject({
      resourceType: 'audit_log',
      userAgent: 'test',
      newValue: { deleted: 1, retentionDays: 365 },
    });
    const after = await db
      .selectFrom('adminAuditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    await expect(sql`select admin_purge_audit_log(1, 'test')`.execute(db)).rejects.toThrow(
      /at least 30/,
    );
  });
});
