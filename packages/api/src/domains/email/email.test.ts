import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsFor,
  expectPhoenixError,
  PASSWORD,
  signUp,
  startAdminTestServer,
  startTestSmtpServer,
  type TestServer,
  type TestSmtpServer,
} from '../../testing/index.ts';
import { seedDefaultTemplates } from './index.ts';

const WAIT = { timeout: 30_000, interval: 100 };

let smtp: TestSmtpServer;
let server: TestServer;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  server = await startAdminTestServer({ worker: true, env: { SMTP_URL: smtp.url } });
  admin = await signUp(server, { label: 'mail-admin', role: 'admin' });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const isWelcome = (mail: { subject: string }) => /^(welcome|bienvenue|hi|hey) /i.test(mail.subject);
const logFor = async (to: string) =>
  (await admin.client.admin.emailLogs.list.query({ trigger: 'welcome' })).items.find(
    (log) => log.toEmail === to,
  );
/** The path of a tracking URL found in the HTML (its host is PUBLIC_URL's, not the test server's). */
const trackingPath = (html: string, kind: 'o' | 'c') =>
  new RegExp(`https?://[^"/]+(/e/${kind}/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(html)?.[1] ?? '';

describe('email templates', () => {
  it('refuses a template that uses an unknown variable, by name', async () => {
    const details = await expectPhoenixError(
      admin.client.admin.emailTemplates.create.mutate({
        trigger: 'welcome',
        locale: 'fr',
        subject: 'Bonjour {{displayName}}',
        html: '<p>{{passwordHash}}</p>',
        text: 'Bonjour',
      }),
      { code: 'BAD_REQUEST', reason: 'EMAIL_TEMPLATE_UNKNOWN_VARIABLE', field: 'html' },
    );
    expect(details.message).toContain('passwordHash');
    await expectPhoenixError(
      admin.client.admin.emailTemplates.create.mutate({
        trigger: 'welcome',
        locale: 'fr',
        subject: '{{#if}}',
        html: '<p>x</p>',
        text: 'x',
      }),
      { code: 'BAD_REQUEST', reason: 'EMAIL_TEMPLATE_INVALID' },
    );
  });

  it('sends the welcome email through a job from an edited template, escaping HTML; audited', async () => {
    const template = await admin.client.admin.emailTemplates.create.mutate({
      trigger: 'welcome',
      locale: 'en',
      subject: 'Hi {{displayName}}',
      html: '<html><body><p>Hello {{displayName}}</p><a href="{{appUrl}}/start?a=1&b=2">Start</a></body></html>',
      text: 'Hello {{displayName}}',
    });
    const user = { email: `bold-${Date.now()}@example.com` };
    await server
      .client()
      .auth.register.mutate({ email: user.email, password: PASSWORD, displayName: '<b>bold</b>' });
    const mail = await smtp.nextTo(user.email, isWelcome);
    expect(mail.subject).toBe('Hi <b>bold</b>');
    expect(mail.html).toContain('Hello &lt;b&gt;bold&lt;/b&gt;');
    await expect.poll(async () => (await logFor(user.email))?.status, WAIT).toBe('sent');
    expect((await logFor(user.email))?.smtpResponse).toMatch(/^250/);

    await admin.client.admin.emailTemplates.update.mutate({
      id: template.id,
      subject: 'Hey {{displayName}}',
    });
    await expectPhoenixError(
      admin.client.admin.emailTemplates.update.mutate({ id: template.id, text: '{{ token }}' }),
      { code: 'BAD_REQUEST', reason: 'EMAIL_TEMPLATE_UNKNOWN_VARIABLE' },
    );
    expect((await auditRowsFor(server, template.id)).map((row) => row.action)).toEqual([
      'admin.emailTemplates.create',
      'admin.emailTemplates.update',
    ]);
  });

  it('tracks opens and clicks once, and redirects only to the signed URL', async () => {
    const user = await signUp(server, { label: 'tracked' });
    const mail = await smtp.nextTo(user.email, isWelcome);
    const open = trackingPath(mail.html, 'o');
    const click = trackingPath(mail.html, 'c');
    expect(open).not.toBe('');
    expect(click).not.toBe('');
    await expect.poll(async () => (await logFor(user.email))?.status, WAIT).toBe('sent');

    const pixel = await fetch(`${server.url}${open}`);
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const opened = (await logFor(user.email))?.openedAt;
    expect(opened).toBeInstanceOf(Date);

    const go = await fetch(`${server.url}${click}`, { redirect: 'manual' });
    expect(go.status).toBe(302);
    expect(go.headers.get('location')).toMatch(/\/start\?a=1&b=2$/);
    const clicked = (await logFor(user.email))?.clickedAt;
    expect(clicked).toBeInstanceOf(Date);
    // Idempotent: a second open or click changes nothing.
    await fetch(`${server.url}${open}`);
    await fetch(`${server.url}${click}`, { redirect: 'manual' });
    const after = await logFor(user.email);
    expect(after?.openedAt).toEqual(opened);
    expect(after?.clickedAt).toEqual(clicked);

    // The same signature over another URL: refused, no redirect.
    const [body, signature] = click.slice('/e/c/'.length).split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as { l: string };
    const forged = Buffer.from(JSON.stringify({ ...claims, u: 'https://evil.example/' })).toString(
      'base64url',
    );
    const refused = await fetch(`${server.url}/e/c/${forged}.${signature}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.json()).toMatchObject({
      error: { reason: 'TRACKING_LINK_INVALID' },
    });
  });

  it('sendTest renders the sample data and sends it to the admin', async () => {
    const { items } = await admin.client.admin.emailTemplates.list.query({ trigger: 'welcome' });
    const template = items[0];
    if (!template) throw new Error('no template');
    await admin.client.admin.emailTemplates.sendTest.mutate({ id: template.id });
    const mail = await smtp.nextTo(admin.email, (m) => m.subject.includes('Ada'));
    expect(mail.text).toContain('Ada');
    const stats = await admin.client.admin.stats.emails.query();
    expect(stats.sent).toBeGreaterThan(0);
    expect(stats.opened).toBeGreaterThan(0);
  });

  it('seeds every trigger in en and fr once, keeping edited templates', async () => {
    const seeded = await seedDefaultTemplates(server.deps.db);
    expect(seeded).toBe(15); // 16 defaults, welcome/en already edited
    expect(await seedDefaultTemplates(server.deps.db)).toBe(0);
    const { items } = await admin.client.admin.emailTemplates.list.query();
    expect(items).toHaveLength(16);
    expect(items.find((t) => t.trigger === 'welcome' && t.locale === 'en')?.subject).toBe(
      'Hey {{displayName}}',
    );
  });
});

describe('an SMTP relay that refuses at first', () => {
  it('retries the send job: the email arrives once, the log row says sent after two attempts', async () => {
    await using relay = await startTestSmtpServer({ refuseFirst: 1 });
    await using hub = await startAdminTestServer({ worker: true, env: { SMTP_URL: relay.url } });
    const user = await signUp(hub, { label: 'retried' });
    const welcome = await relay.nextTo(user.email, isWelcome);
    expect(welcome.to).toEqual([user.email.toLowerCase()]);
    const row = () =>
      hub.deps.db
        .selectFrom('emailLogs')
        .select(['status', 'attempts', 'error'])
        .where('toEmail', '=', user.email)
        .where('trigger', '=', 'welcome')
        .executeTakeFirstOrThrow();
    await expect.poll(async () => (await row()).status, WAIT).toBe('sent');
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(
      relay.messages.filter((mail) => mail.to.includes(user.email.toLowerCase())),
    ).toHaveLength(1);
  });
});

describe('an event delivered twice', () => {
  it('queues its email once: the second delivery of user.registered sends nothing', async () => {
    const user = await signUp(server, { label: 'redelivered' });
    await smtp.nextTo(user.email, isWelcome);
    const jobs = sql.table(`${server.deps.jobs.schema}.job`);
    const { rows } = await sql<{ data: unknown }>`select data from ${jobs}
      where name = 'event.deliver' and data->>'subscriber' = 'email'
        and data->'event'->'payload'->>'userId' = ${user.id}`.execute(server.deps.db);
    expect(rows).toHaveLength(1);
    // What a worker that died after the handler committed would do: run the delivery again.
    const again = await server.deps.jobs.boss().send('event.deliver', rows[0]?.data as object);
    await expect
      .poll(async () => {
        const { rows: state } = await sql<{ state: string }>`select state::text as state
          from ${jobs} where id = ${again}::uuid`.execute(server.deps.db);
        return state[0]?.state;
      }, WAIT)
      .toBe('completed');
    const logs = await server.deps.db
      .selectFrom('emailLogs')
      .select('id')
      .where('toEmail', '=', user.email)
      .where('trigger', '=', 'welcome')
      .execute();
    expect(logs).toHaveLength(1);
  });
});
