import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  PASSWORD,
  type SignedUp,
  signUp,
  startAdminTestServer,
  startWebhookReceiver,
  type TestServer,
  type WebhookReceiver,
} from '../../testing/index.ts';
import { queueEmail } from '../email/index.ts';
import { erasureDueJob } from './index.ts';
import { until, unzip } from './testing.ts';

const DAY = 86_400_000;
const clock = { t: Date.now(), now: () => clock.t };

let server: TestServer;
let receiver: WebhookReceiver;
let admin: SignedUp;
let subject: SignedUp;
let other: SignedUp;

/** pg-boss's own tables (in the test schema on Postgres): the queue, not the hub's data. */
const PG_BOSS_TABLES =
  /^(job|job_common|j[0-9a-f]{56}|queue|queue_stats.*|schedule|subscription|version|bam|warning|job_dependency|instance)$/;

/** Every table of the current schema; `hubOnly` leaves pg-boss's out. */
async function tablesOf(options: { hubOnly?: boolean } = {}): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
  `.execute(server.deps.db);
  const names = rows.map((r) => r.name);
  return options.hubOnly ? names.filter((n) => !PG_BOSS_TABLES.test(n)) : names;
}

/** Rows of `table` whose text holds any needle (case-insensitive). */
async function rowsMentioning(table: string, needles: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`
    select t::text as row from ${sql.table(table)} t
  `.execute(server.deps.db);
  return rows
    .map((r) => r.row)
    .filter((row) => needles.some((n) => row.toLowerCase().includes(n.toLowerCase())));
}

async function jobRowsMentioning(needles: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`
    select data::text as row from ${sql.table(`${server.deps.jobs.schema}.job`)}
  `.execute(server.deps.db);
  return rows
    .map((r) => r.row)
    .filter((row) => needles.some((n) => row.toLowerCase().includes(n.toLowerCase())));
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const today = () => new Date(clock.now()).toISOString().slice(0, 10);

/** One user uses every domain the hub has. */
async function useEverything(user: SignedUp): Promise<void> {
  const { client } = user;
  await client.rise.kaizen.create.mutate({ text: `walk for ${user.email}`, date: today() });
  await client.rise.zazen.record.mutate({
    startedAt: new Date(Date.now() - 3_600_000),
    durationSeconds: 300,
    trigger: 'stress',
    notes: 'breathing',
  });
  const catalog = await client.aube.questions.query();
  await client.aube.diagnostic.submit.mutate({
    catalogVersion: catalog.catalogVersion,
    answers: Object.fromEntries(catalog.items.map((q) => [q.id, 4])),
  });
  const conversation = await client.luna.conversations.start.mutate({ title: 'Week one' });
  await client.luna.messages.send.mutate({
    conversationId: conversation.id,
    content: 'I ran five kilometres today, I am proud of it',
  });
  await client.gateway.chat.mutate({
    route: 'chat.default',
    messages: [{ role: 'user', content: 'hello' }],
    maxTokens: 10,
  });
  await client.auth.apiKeys.create.mutate({ name: 'script', scopes: ['read'] });
  await client.gdpr.consents.set.mutate({
    purpose: 'ai_training',
    granted: true,
    textVersion: '2026-11-01',
  });
  // Champion with an uploaded recording, and billing records (written as their flows would).
  const { db, storage } = server.deps;
  const champion = await db
    .insertInto('champions')
    .values({ userId: user.id, name: `${user.email} champion`, source: 'recording' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recordingKey = `champions/${champion.id}/recording.webm`;
  await storage.put(recordingKey, Readable.from([Buffer.from(`voice of ${user.email}`)]));
  await db.updateTable('champions').set({ recordingKey }).where('id', '=', champion.id).execute();
  await db
    .insertInto('billingCustomers')
    .values({ userId: user.id, provider: 'fake', customerId: `cus_${user.id.slice(0, 8)}` })
    .execute();
  await db
    .insertInto('billingInvoices')
    .values({
      userId: user.id,
      provider: 'fake',
      providerRef: `in_${crypto.randomUUID()}`,
      kind: 'top_up',
      amount: 500,
      currency: 'EUR',
      status: 'paid',
      occurredAt: new Date(),
    })
    .execute();
  await admin.client.admin.notes.create.mutate({ userId: user.id, body: `called ${user.email}` });
  await admin.client.admin.users.update.mutate({ userId: user.id, tier: 'PREMIUM' });
}

beforeAll(async () => {
  server = await startAdminTestServer({
    worker: true,
    clock,
    env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', GDPR_ERASURE_GRACE_DAYS: '14' },
  });
  receiver = await startWebhookReceiver();
  admin = await signUp(server, { label: 'gdpr-admin', role: 'admin' });
  await admin.client.admin.webhooks.create.mutate({
    url: `${receiver.url}/hook`,
    eventTypes: ['user.registered', 'user.login'],
  });
  subject = await signUp(server, { label: 'gdpr-subject' });
  other = await signUp(server, { label: 'gdpr-other' });
  await useEverything(subject);
  await useEverything(other);
  // The welcome email and the webhook deliveries the sign-ups caused have gone out.
  for (const user of [subject, other]) {
    await until(
      () =>
        server.deps.db
          .selectFrom('emailLogs')
          .select('id')
          .where('userId', '=', user.id)
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      `welcome email of ${user.email}`,
    );
  }
  await until(async () => {
    const rows = await rowsMentioning('webhook_deliveries', [subject.id]);
    return rows.length > 0 && rows.every((r) => r.includes('succeeded'));
  }, 'webhook deliveries');
}, 180_000);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('GDPR export', () => {
  let archive: Map<string, Buffer>;
  let url: string;
  /** Per table, the rows naming the user when the export was asked for. */
  const before = new Map<string, number>();

  it('builds one ZIP with a JSON per domain and a README, emails the link, and logs the download', async () => {
    for (const table of await tablesOf({ hubOnly: true })) {
      before.set(table, (await rowsMentioning(table, [subject.id, subject.email])).length);
    }
    const requested = await subject.client.gdpr.export.request.mutate();
    expect(requested.status).toBe('pending');
    await expectPhoenixError(subject.client.gdpr.export.request.mutate(), {
      code: 'CONFLICT',
      reason: 'EXPORT_IN_PROGRESS',
    }).catch(() => undefined);
    const ready = await until(async () => {
      const page = await subject.client.gdpr.export.list.query();
      const item = page.items.find((i) => i.id === requested.id);
      return item?.status === 'ready' ? item : null;
    }, 'the export');
    expect(ready.expiresAt?.getTime()).toBe(
      ready.completedAt ? ready.completedAt.getTime() + 7 * DAY : 0,
    );

    const email = await until(
      () =>
        server.deps.db
          .selectFrom('emailLogs')
          .select(['trigger', 'status'])
          .where('userId', '=', subject.id)
          .where('trigger', '=', 'gdpr_export_ready')
          .executeTakeFirst(),
      'the export email',
    );
    expect(email.trigger).toBe('gdpr_export_ready');

    const link = await subject.client.gdpr.export.download.query({ id: requested.id });
    url = link.url.replace(/^https?:\/\/[^/]+/, server.url);
    // The link opens the archive: an administrator reading the email's job does not see it.
    const token = link.url.split('/').at(-1) ?? '';
    const sends = await admin.client.admin.jobs.list.query({ name: 'email.send', limit: 100 });
    const shown = await Promise.all(
      sends.items.map((job) => admin.client.admin.jobs.get.query({ id: job.id })),
    );
    const exportEmail = shown.find((job) => JSON.stringify(job.data).includes('gdpr_export_ready'));
    expect(JSON.stringify(exportEmail?.data)).toContain('[redacted]');
    expect(JSON.stringify(shown)).not.toContain(token.split('.').at(-1));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    archive = await unzip(Buffer.from(await response.arrayBuffer()));

    const names = [...archive.keys()].sort();
    const files = names.filter((n) => n.startsWith('files/'));
    expect(files).toEqual([expect.stringMatching(/^files\/champion\/.+-recording\.webm$/)]);
    expect(archive.get(files[0] ?? '')?.toString()).toBe(`voice of ${subject.email}`);
    expect(names.filter((n) => !n.startsWith('files/'))).toEqual(
      [...server.deps.personalData.map((d) => `${d.domain}.json`), 'README.md'].sort(),
    );
    const readme = archive.get('README.md')?.toString() ?? '';
    for (const d of server.deps.personalData) expect(readme).toContain(`## ${d.domain}.json`);

    const row = await server.deps.db
      .selectFrom('gdprRequests')
      .select('downloadCount')
      .where('id', '=', requested.id)
      .executeTakeFirstOrThrow();
    expect(row.downloadCount).toBe(1);
    const downloads = await server.deps.db
      .selectFrom('gdprExportDownloads')
      .selectAll()
      .where('requestId', '=', requested.id)
      .execute();
    expect(downloads).toHaveLength(1);
  });

  it('holds every table with the user’s rows, and nobody else’s', async () => {
    const tables = new Map<string, unknown[]>();
    for (const [name, body] of archive) {
      if (!name.endsWith('.json')) continue;
      const doc = JSON.parse(body.toString()) as { tables: Record<string, { rows: unknown[] }> };
      for (const [table, t] of Object.entries(doc.tables)) tables.set(table, t.rows);
    }
    expect(before.size).toBeGreaterThan(20);
    for (const [table, count] of before) {
      if (count === 0) continue;
      expect(tables.has(table), `${table} is in the archive`).toBe(true);
      expect(tables.get(table)?.length, table).toBeGreaterThanOrEqual(count);
    }
    const all = [...archive.values()].map((b) => b.toString()).join('\n');
    expect(all).not.toContain(other.id);
    expect(all.toLowerCase()).not.toContain(other.email.toLowerCase());
    expect(all).toContain(subject.id);
    expect(all).not.toContain('secretHash');
    expect(all).not.toContain('passwordHash');
  });

  it('holds the portable JSON form to a budget per user (GDPR_PORTABLE_EXPORTS_PER_HOUR)', async () => {
    const asker = await signUp(server, { label: 'gdpr-portable' });
    const { portableExportsPerHour } = server.deps.config.gdpr;
    for (let i = 0; i < portableExportsPerHour; i++) await asker.client.gdpr.export.data.query();
    await expectPhoenixError(asker.client.gdpr.export.data.query(), { code: 'TOO_MANY_REQUESTS' });
    // Another user's budget is their own.
    const other = await signUp(server, { label: 'gdpr-portable-other' });
    await expect(other.client.gdpr.export.data.query()).resolves.toBeDefined();
  });

  it('answers the portable JSON form (Article 20)', async () => {
    const data = await subject.client.gdpr.export.data.query();
    expect(Object.keys(data.domains).sort()).toEqual(
      server.deps.personalData.map((d) => d.domain).sort(),
    );
    expect(JSON.stringify(data)).not.toContain(other.id);
  });

  it('refuses a tampered link, another user’s export, and an expired link', async () => {
    const tampered = `${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const bad = await fetch(tampered);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { reason: 'EXPORT_LINK_INVALID' } });
    const forged = await fetch(url.replace(/\/(\w{8}-)/, '/00000000-'));
    expect(forged.status).toBe(400);

    const id = url.split('/').at(-1)?.split('.')[0] ?? '';
    await expectPhoenixError(other.client.gdpr.export.download.query({ id }), {
      code: 'NOT_FOUND',
    });

    clock.t += 8 * DAY;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: { reason: 'EXPORT_LINK_EXPIRED' } });
  });
});

describe('consents', () => {
  it('records consent with the text version, keeps the history, and the admin sees it', async () => {
    const initial = await other.client.gdpr.consents.get.query();
    expect(initial.consents.find((c) => c.purpose === 'marketing_email')).toMatchObject({
      granted: false,
      textVersion: null,
    });
    await expectPhoenixError(
      other.client.gdpr.consents.set.mutate({
        purpose: 'marketing_email',
        granted: true,
        textVersion: '2020-01-01',
      }),
      { code: 'BAD_REQUEST', reason: 'CONSENT_TEXT_OUTDATED', field: 'textVersion' },
    );
    const history = await other.client.gdpr.consents.history.query();
    expect(history.items.map((h) => h.purpose)).toEqual(['ai_training']);
    const seen = await admin.client.admin.gdpr.consents.get.query({ userId: other.id });
    expect(seen.consents.find((c) => c.purpose === 'ai_training')).toMatchObject({
      granted: true,
      textVersion: '2026-11-01',
    });
  });

  it('a marketing email goes only to a user who consented', async () => {
    const send = () =>
      server.deps.db.transaction().execute((trx) =>
        queueEmail(server.deps, trx, {
          trigger: 'product_news',
          to: other.email,
          userId: other.id,
          locale: 'en',
          variables: { displayName: 'x', headline: 'News', appUrl: 'https://x.example' },
        }),
      );
    expect(await send()).toBeNull();
    await other.client.gdpr.consents.set.mutate({
      purpose: 'marketing_email',
      granted: true,
      textVersion: '2026-11-01',
    });
    expect(await send()).toEqual(expect.any(String));
    await other.client.gdpr.consents.set.mutate({
      purpose: 'marketing_email',
      granted: false,
      textVersion: '2026-11-01',
    });
    expect(await send()).toBeNull();
    const logs = await server.deps.db
      .selectFrom('emailLogs')
      .select('id')
      .where('userId', '=', other.id)
      .where('trigger', '=', 'product_news')
      .execute();
    expect(logs).toHaveLength(1);
  });
});

describe('GDPR erasure', () => {
  it('pays for each password check on the login counters: wrong guesses lock it, and the login', async () => {
    const guesser = await signUp(server, { label: 'gdpr-guesser' });
    const guess = (password: string) => guesser.client.gdpr.erasure.request.mutate({ password });
    // AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES is 5 by default.
    for (let i = 0; i < 5; i++) {
      await expectPhoenixError(guess(`wrong ${i}`), {
        code: 'FORBIDDEN',
        reason: 'PASSWORD_INCORRECT',
      });
    }
    await expectPhoenixError(guess(PASSWORD), { code: 'TOO_MANY_REQUESTS' });
    await expectPhoenixError(
      server.client().auth.login.mutate({ email: guesser.email, password: PASSWORD }),
      { code: 'TOO_MANY_REQUESTS' },
    );
    expect((await guesser.client.gdpr.erasure.get.query()).pending).toBeNull();
  });

  it('asks for the password whatever the session', async () => {
    await expectPhoenixError(
      subject.client.gdpr.erasure.request.mutate({ password: 'wrong one' }),
      {
        code: 'FORBIDDEN',
        reason: 'PASSWORD_INCORRECT',
        field: 'password',
      },
    );
    await expectPhoenixError(
      // @ts-expect-error: the password is required
      subject.client.gdpr.erasure.request.mutate({}),
      { code: 'BAD_REQUEST', field: 'password' },
    );
  });

  it('revokes sessions and API keys at once, and a new login can cancel during the grace period', async () => {
    const key = await subject.client.auth.apiKeys.create.mutate({ name: 'k', scopes: ['read'] });
    const scheduled = await subject.client.gdpr.erasure.request.mutate({ password: PASSWORD });
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.scheduledFor?.getTime()).toBe(clock.now() + 14 * DAY);
    await expectPhoenixError(subject.client.auth.me.query(), { code: 'UNAUTHORIZED' });
    await expectPhoenixError(server.client(key.secret).auth.me.query(), { code: 'UNAUTHORIZED' });

    const again = await server.client().auth.login.mutate({
      email: subject.email,
      password: PASSWORD,
    });
    const client = server.client(again.token);
    expect((await client.gdpr.erasure.get.query()).pending?.id).toBe(scheduled.id);
    expect((await client.gdpr.erasure.cancel.mutate()).status).toBe('cancelled');
    expect((await client.gdpr.erasure.get.query()).pending).toBeNull();
    subject = { ...subject, token: again.token, client };
  });

  it('after the grace period erases every trace except pseudonymised legal rows', async () => {
    const ledgerBefore = await server.deps.db
      .selectFrom('creditTransactions')
      .select(['amount', 'balanceAfter', 'kind'])
      .where('userId', '=', subject.id)
      .orderBy('id')
      .execute();
    const auditBefore = await server.deps.db
      .selectFrom('adminAuditLog')
      .select(['id', 'action', 'resourceType', 'createdAt', 'requestId'])
      .orderBy('id')
      .execute();
    const scheduled = await subject.client.gdpr.erasure.request.mutate({ password: PASSWORD });

    clock.t += 15 * DAY;
    await server.deps.jobs.send(erasureDueJob, {});
    const done = await until(async () => {
      const page = await admin.client.admin.gdpr.requests.list.query({ kind: 'erasure' });
      const item = page.items.find((i) => i.id === scheduled.id);
      return item?.status === 'completed' ? item : null;
    }, 'the erasure');
    expect(done.userId).toBeNull();
    const tombstone = done.tombstone ?? '';
    expect(tombstone).toMatch(/^[0-9a-f-]{36}$/);

    // No table, no job payload, no stored file holds the user's id, email or name.
    const needles = [subject.id, subject.email, 'gdpr-subject'];
    for (const table of await tablesOf()) {
      expect(await rowsMentioning(table, needles), table).toEqual([]);
    }
    expect(await jobRowsMentioning(needles)).toEqual([]);
    // Stored files go right after the erasure commits (the request already says completed).
    await until(async () => {
      const files = await filesUnder(server.deps.config.storage.dir);
      return files.every((f) => !f.includes(subject.id));
    }, 'the files to go');
    const recordings = await server.deps.db
      .selectFrom('champions')
      .select('recordingKey')
      .where('userId', '=', other.id)
      .execute();
    for (const r of recordings) {
      expect(await server.deps.storage.stat(r.recordingKey ?? '')).not.toBeNull();
    }
    const invoices = await server.deps.db
      .selectFrom('billingInvoices')
      .select('amount')
      .where('userId', '=', tombstone)
      .execute();
    expect(invoices).toEqual([{ amount: 500 }]);

    // The ledger is whole, under the tombstone, and every balance still adds up.
    const ledgerAfter = await server.deps.db
      .selectFrom('creditTransactions')
      .select(['amount', 'balanceAfter', 'kind'])
      .where('userId', '=', tombstone)
      .orderBy('id')
      .execute();
    expect(ledgerAfter).toEqual(ledgerBefore);
    const { rows: unbalanced } = await sql<{ userId: string }>`
      select b.user_id from credit_balances b
      left join (select user_id, sum(amount) as total from credit_transactions group by user_id) t
        on t.user_id = b.user_id
      where b.balance <> coalesce(t.total, 0)
    `.execute(server.deps.db);
    expect(unbalanced).toEqual([]);

    // The audit log verifies: no row lost, none changed in what was done and when; the
    // pseudonymisation recorded itself; a plain update is still refused.
    const auditAfter = await server.deps.db
      .selectFrom('adminAuditLog')
      .select(['id', 'action', 'resourceType', 'createdAt', 'requestId'])
      .orderBy('id')
      .execute();
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    const own = auditAfter.slice(auditBefore.length).map((r) => r.action);
    expect(own).toContain('gdpr.pseudonymise');
    expect(own).toContain('gdpr.erasure');
    const tombstoned = await server.deps.db
      .selectFrom('adminAuditLog')
      .select('id')
      .where('resourceId', '=', tombstone)
      .execute();
    expect(tombstoned.length).toBeGreaterThan(1);
    await expect(
      sql`update admin_audit_log set action = 'x' where id = ${auditBefore[0]?.id ?? 0}`.execute(
        server.deps.db,
      ),
    ).rejects.toThrow(/append-only/);

    // The other user lost nothing.
    expect((await other.client.rise.kaizen.list.query()).items).toHaveLength(1);
    expect((await other.client.luna.conversations.list.query()).items).toHaveLength(1);
  });

  it('afterwards the old email signs in like an unknown one, and can register again', async () => {
    const unknown = await expectPhoenixError(
      server.client().auth.login.mutate({ email: 'nobody-at-all@example.com', password: PASSWORD }),
      { code: 'UNAUTHORIZED' },
    );
    const erased = await expectPhoenixError(
      server.client().auth.login.mutate({ email: subject.email, password: PASSWORD }),
      { code: 'UNAUTHORIZED' },
    );
    expect(erased.reason).toBe(unknown.reason);
    const again = await server.client().auth.register.mutate({
      email: subject.email,
      password: PASSWORD,
      displayName: 'Back again',
    });
    expect(again.user.id).not.toBe(subject.id);
  });

  it('an admin erases a user who asked by other means, audited', async () => {
    const third = await signUp(server, { label: 'gdpr-third' });
    await expectPhoenixError(third.client.admin.gdpr.erasure.request.mutate({ userId: third.id }), {
      code: 'FORBIDDEN',
    });
    const request = await admin.client.admin.gdpr.erasure.request.mutate({
      userId: third.id,
      immediate: true,
    });
    const audit = await server.deps.db
      .selectFrom('adminAuditLog')
      .select(['adminId', 'resourceId'])
      .where('action', '=', 'admin.gdpr.erasure.request')
      .execute();
    expect(audit.map((a) => a.adminId)).toContain(admin.id);
    await until(async () => {
      const page = await admin.client.admin.gdpr.requests.list.query({ status: 'completed' });
      return page.items.some((i) => i.id === request.id);
    }, 'the admin erasure');
    await expectPhoenixError(admin.client.admin.gdpr.erasure.request.mutate({ userId: third.id }), {
      code: 'NOT_FOUND',
    });
  });

  it('an admin cancels a scheduled erasure, audited; only an admin, and only a scheduled one', async () => {
    const fourth = await signUp(server, { label: 'gdpr-changed-mind' });
    const scheduled = await admin.client.admin.gdpr.erasure.request.mutate({ userId: fourth.id });
    expect(scheduled.status).toBe('scheduled');
    // Not for a plain user (the person's own sessions ended when it was scheduled).
    const bystander = await signUp(server, { label: 'gdpr-bystander' });
    await expectPhoenixError(
      bystander.client.admin.gdpr.erasure.cancel.mutate({ userId: fourth.id }),
      { code: 'FORBIDDEN' },
    );
    const cancelled = await admin.client.admin.gdpr.erasure.cancel.mutate({ userId: fourth.id });
    expect(cancelled).toMatchObject({ id: scheduled.id, status: 'cancelled' });
    const audit = await server.deps.db
      .selectFrom('adminAuditLog')
      .select(['adminId', 'resourceType', 'resourceId', 'newValue'])
      .where('action', '=', 'admin.gdpr.erasure.cancel')
      .execute();
    expect(audit).toEqual([
      {
        adminId: admin.id,
        resourceType: 'user',
        resourceId: fourth.id,
        newValue: { erasureRequestId: scheduled.id, status: 'cancelled' },
      },
    ]);
    await expectPhoenixError(admin.client.admin.gdpr.erasure.cancel.mutate({ userId: fourth.id }), {
      code: 'BAD_REQUEST',
      reason: 'NO_ERASURE_PENDING',
    });
    // The person can use the account again: signing in works and nothing is erased.
    const back = await server
      .client()
      .auth.login.mutate({ email: fourth.email, password: PASSWORD });
    expect(back.user.id).toBe(fourth.id);
  });
});

describe('a user whose email is part of another user’s', () => {
  // `m-…@example.com` is inside `tom-…@example.com`; the provider ids likewise.
  const stamp = Date.now();
  let short: SignedUp;
  let long: SignedUp;

  /** Per table, the rows naming `long`, by id or email. */
  async function rowsOfLong(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of [
      'domain_events',
      'webhook_deliveries',
      'billing_events',
      'admin_audit_log',
    ])
      counts[table] = (await rowsMentioning(table, [long.id, long.email])).length;
    counts.jobs = (await jobRowsMentioning([long.email])).length;
    return counts;
  }

  beforeAll(async () => {
    long = await signUp(server, { label: 'long', email: `tom-${stamp}@example.com` });
    short = await signUp(server, { label: 'short', email: `m-${stamp}@example.com` });
    const { db } = server.deps;
    await db
      .insertInto('billingCustomers')
      .values([
        { userId: long.id, provider: 'fake', customerId: `cus_${stamp}123` },
        { userId: short.id, provider: 'fake', customerId: `cus_${stamp}12` },
      ])
      .execute();
    // A provider event about `long` only: its email and customer id, as the provider sends them.
    await db
      .insertInto('billingEvents')
      .values({
        provider: 'fake',
        eventId: `evt_${stamp}`,
        type: 'customer.updated',
        payload: JSON.stringify({ customer: `cus_${stamp}123`, email: long.email }),
        providerCreatedAt: new Date(),
      })
      .execute();
    // An audit row naming `long`'s email in its values (the note's text).
    await admin.client.admin.notes.create.mutate({ userId: long.id, body: `called ${long.email}` });
    await until(async () => {
      const rows = await rowsMentioning('webhook_deliveries', [long.id]);
      return rows.length > 0 && rows.every((r) => r.includes('succeeded'));
    }, 'the webhook delivery about long');
  });

  it('does not get the other’s rows in an export', async () => {
    const data = JSON.stringify(await short.client.gdpr.export.data.query());
    expect(data).toContain(short.email);
    expect(data).not.toContain(long.id);
    expect(data.toLowerCase()).not.toContain(long.email.toLowerCase());
    expect(data).not.toContain(`cus_${stamp}123`);
  });

  it('erases nothing of the other’s, and leaves their audit values whole', async () => {
    const before = await rowsOfLong();
    expect(before.domain_events).toBeGreaterThan(0);
    expect(before.webhook_deliveries).toBeGreaterThan(0);
    expect(before.billing_events).toBe(1);
    expect(before.admin_audit_log).toBeGreaterThan(0);

    const scheduled = await short.client.gdpr.erasure.request.mutate({ password: PASSWORD });
    clock.t += 15 * DAY;
    await server.deps.jobs.send(erasureDueJob, {});
    await until(async () => {
      const page = await admin.client.admin.gdpr.requests.list.query({ kind: 'erasure' });
      return page.items.find((i) => i.id === scheduled.id)?.status === 'completed';
    }, 'the erasure of short');

    expect(await rowsOfLong()).toEqual(before);
    expect(await rowsMentioning('admin_audit_log', ['[erased]@example.com', 'to[erased]'])).toEqual(
      [],
    );
    // `short`'s own traces are gone (its email counted only where it is not part of `long`'s).
    const shortEmail = new RegExp(`(^|[^a-z0-9._%+-])${short.email.replace(/[.+]/g, '\\$&')}`, 'i');
    for (const table of await tablesOf()) {
      const rows = await rowsMentioning(table, [short.id, short.email]);
      expect(
        rows.filter((row) => row.includes(short.id) || shortEmail.test(row)),
        table,
      ).toEqual([]);
    }
  });
});
