/**
 * The admin console in a real browser (Debian's chromium driven by playwright-core), served
 * by a real hub on the embedded defaults, signed in as an administrator the CLI made. One
 * server and one browser for every page; each page is screenshotted to artifacts/console/
 * and checked by axe-core (no serious or critical violation).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { seedDefaultTemplates } from '@phoenix/api';
import { loadConfig } from '@phoenix/config';
import { createPhoenixClient, getErrorDetails, type PhoenixClient } from '@phoenix/sdk';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../runtime.ts';
import { type RunningServer, startServer } from '../serve.ts';
import { copyTemplate } from '../testing/copy-template.ts';
import { run } from '../testing/run.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const consoleDist = join(repoRoot, 'apps/console/dist');
const artifacts = join(repoRoot, 'artifacts/console');
const cli = resolve(import.meta.dirname, '../cli/index.ts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const POLL = { timeout: 60_000, interval: 200 };

/** A short sales call with labelled speakers, as a seller pastes it. */
const TRANSCRIPT = [
  'Sam: Hi Alex, thanks for taking the time today. I saw your team doubled this year.',
  'Alex: Yes, it has been a busy year for us.',
  'Sam: What is the hardest part of onboarding all those new sellers?',
  'Alex: Mostly ramp time. But honestly the price of tools like yours is too high for us.',
  'Sam: I understand. Teams like yours cut ramp time by a third, which pays for the licence.',
  'Sam: Shall we schedule a pilot with five of your new sellers next Tuesday?',
  'Alex: Sure, send me the details.',
].join('\n');

const ADMIN = { email: 'root@console.example', password: 'a long admin passphrase 42' };
const USER = { email: 'ada@console.example', password: 'another long passphrase 7' };

/** The browser flags CI uses: quiet, no network of its own, no sandbox (root in a container). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The console runs on the embedded defaults only: the real-store run of the suite covers
// the same procedures through the SDK, and one browser run keeps `npm test` fast.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('the admin console in a browser', () => {
  let scratch: string;
  let runtime: Runtime;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let admin: PhoenixClient;
  let ada: PhoenixClient;
  let userId: string;
  const pageProblems: string[] = [];
  const timings: string[] = [];

  const go = async (path: string, heading: string) => {
    await page.goto(`${server.url}/console${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  /** Screenshot for the docs and CI, then axe: no serious or critical violation. */
  const check = async (name: string, options: { idle?: boolean } = {}) => {
    // Every query answered; a page whose sandboxed preview frame never reports idle says so.
    if (options.idle !== false) await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    // The email preview shows an administrator's HTML, not the console's own interface.
    const result = await new AxeBuilder({ page })
      .exclude('iframe[title="Email preview"]')
      .analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, name).toEqual([]);
  };

  beforeAll(async () => {
    const started = Date.now();
    expect(
      existsSync(chromiumPath),
      `no browser at ${chromiumPath}: apt-get install -y chromium`,
    ).toBe(true);
    expect(existsSync(join(consoleDist, 'index.html')), 'build the console first').toBe(true);
    scratch = mkdtempSync(join(tmpdir(), 'phoenix-console-'));
    mkdirSync(artifacts, { recursive: true });
    const env = {
      DATA_DIR: copyTemplate('migrated', join(scratch, 'data')),
      STORAGE_DIR: join(scratch, 'files'),
      CONSOLE_DIR: consoleDist,
      PORT: '0',
      LOG_LEVEL: 'silent',
    };

    // The administrator, made as an operator would: by the CLI, before the server starts.
    const made = await run(
      process.execPath,
      [cli, 'create-admin', '--email', ADMIN.email, '--password', ADMIN.password],
      { env: { ...process.env, ...env, DATABASE_URL: '', REDIS_URL: '' } },
    );
    expect(made.code, made.stderr).toBe(0);
    timings.push(`create-admin ${Date.now() - started} ms`);

    runtime = await openRuntime(loadConfig(env));
    server = await startServer(runtime);
    timings.push(`server up ${Date.now() - started} ms`);

    // Something to look at: the default email templates, a user who used the gateway, and
    // a captured server error.
    await seedDefaultTemplates(runtime.deps.db);
    const anonymous = createPhoenixClient({ url: server.url });
    const registered = await anonymous.auth.register.mutate({ ...USER, displayName: 'Ada' });
    userId = registered.user.id;
    ada = createPhoenixClient({ url: server.url, token: registered.token });
    await ada.gateway.chat.mutate({ messages: [{ role: 'user', content: 'Hello there' }] });
    const login = await anonymous.auth.login.mutate(ADMIN);
    admin = createPhoenixClient({ url: server.url, token: login.token });
    const error = await runtime.deps.db
      .insertInto('adminErrors')
      .values({
        fingerprint: 'console-test',
        name: 'TypeError',
        message: 'Cannot read properties of undefined (reading "plan")',
        path: 'billing.checkout',
        lastRequestId: 'req-console-test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await runtime.deps.db
      .insertInto('adminErrorOccurrences')
      .values({ errorId: error.id, requestId: 'req-console-test' })
      .execute();

    const userDataDir = join(scratch, 'chromium');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Generous for a loaded 2-core machine; an idle one takes a fraction of it.
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageProblems.push(`page error: ${err.message}`));
    // Refusals the test provokes (401 before sign-in, 400 for an empty note) are logged by
    // the browser as failed loads; anything else (a CSP violation, a React error) is a problem.
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
        pageProblems.push(`console: ${text}`);
      }
    });
    timings.push(`browser up ${Date.now() - started} ms`);
  }, 120_000);

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail' && page) {
      const name = test.task.name.replace(/\W+/g, '-').slice(0, 60);
      await page.screenshot({ path: join(artifacts, `failed-${name}.png`), fullPage: true });
    }
  });

  afterAll(async () => {
    await context?.close();
    await server?.shutdown('test over');
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    console.log(`console browser test: ${timings.join(', ')}`);
  }, 120_000);

  it('serves the console with cache headers and a CSP', async () => {
    const index = await fetch(`${server.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await index.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${server.url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // A route of the app itself (reloaded in the browser) gets the app; build files do not leak.
    const deep = await fetch(`${server.url}/console/users/${userId}`);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${server.url}/console/.vite/manifest.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/console/assets/gone-123.js`)).status).toBe(404);
  }, 120_000);

  it('signs in by keyboard with the session cookie, showing refusals in the API words', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Phoenix Hub console' }).waitFor();
    await check('sign-in');

    let expected = '';
    try {
      await createPhoenixClient({ url: server.url }).auth.login.mutate({
        email: 'nobody@console.example',
        password: 'not the password at all',
      });
    } catch (error) {
      expected = getErrorDetails(error)?.message ?? '';
    }
    expect(expected).not.toBe('');
    await page.getByLabel('Email').focus();
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password, surely');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(expected);

    await page.locator('input[type="password"]').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    const cookies = await context.cookies(server.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length]);
    expect(stored).toEqual([0, 0]);
  }, 120_000);

  it('shows the dashboard numbers the API gives', async () => {
    await go('/', 'Dashboard');
    const stats = await admin.admin.stats.dashboard.query({ periodDays: 30 });
    const usage = await admin.gateway.admin.usage.query({ days: 30 });
    const text = (id: string) => page.getByTestId(id).textContent();
    expect(await text('stat-users')).toBe(String(stats.users.total));
    expect(await text('stat-new-users')).toBe(String(stats.users.newInPeriod));
    expect(await text('stat-open-errors')).toBe(String(stats.openErrors));
    expect(await text('stat-calls')).toBe(String(usage.reduce((n, d) => n + d.requests, 0)));
    expect(await text('stat-credits')).toBe(String(usage.reduce((n, d) => n + d.credits, 0)));
    expect(stats.users.total).toBe(2);
    await page.getByRole('cell', { name: 'offline' }).first().waitFor();
    await check('dashboard');
  }, 120_000);

  it('grants credits to a user after confirmation, and finds the audit row', async () => {
    await go('/users', 'Users');
    await page.getByLabel('Search email or name').fill('ada@');
    await page.getByRole('link', { name: USER.email }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada' }).waitFor();
    const before = (await admin.gateway.admin.ledger.query({ userId })).balance;
    await expect.poll(() => page.getByTestId('credit-balance').textContent()).toBe(String(before));
    await check('users-user');

    await page.getByLabel('Amount').fill('250');
    await page.getByLabel('Reason').fill('console test goodwill');
    await page.getByRole('button', { name: 'Grant credits' }).click();
    await page.getByRole('dialog', { name: 'Grant credits?' }).waitFor();
    await page.getByRole('button', { name: 'Grant', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('credit-balance').textContent())
      .toBe(String(before + 250));
    expect((await admin.gateway.admin.ledger.query({ userId })).balance).toBe(before + 250);

    await go('/users', 'Users');
    await check('users');

    await go('/audit', 'Audit log');
    await page.getByLabel('Resource id').fill(userId);
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.getByTestId('audit-row').filter({ hasText: 'gateway.admin.grantCredits' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Show change' }).click();
    const diff = page.getByTestId('audit-diff');
    await expect.poll(() => diff.textContent()).toContain('console test goodwill');
    expect(await diff.textContent()).toContain(String(before + 250));
    await check('audit');
  }, 120_000);

  it('exports the audit log as CSV and NDJSON', async () => {
    for (const [id, format] of [
      ['export-csv', 'csv'],
      ['export-ndjson', 'ndjson'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(id).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-log_.*\\.${format}$`));
      const body = readFileSync(await download.path(), 'utf8');
      expect(body).toContain('gateway.admin.grantCredits');
      expect(body).toContain(userId);
      if (format === 'ndjson') {
        for (const line of body.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      }
    }
  }, 120_000);

  it('resolves an error with a note', async () => {
    await go('/errors', 'Errors');
    const row = page.getByTestId('error-row').filter({ hasText: 'billing.checkout' });
    await row.getByRole('button', { name: 'Open' }).click();
    await page.getByText('req-console-test').first().waitFor();
    await check('errors');
    await page.getByRole('button', { name: 'Resolve' }).click();
    // An empty note is refused by the API, in its words.
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Resolution note').fill('fixed by the plan lookup guard');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('error-row').count()).toBe(0);
    const resolved = await admin.admin.errors.list.query({ status: 'resolved' });
    expect(resolved.items.map((e) => e.resolutionNote)).toEqual(['fixed by the plan lookup guard']);
  }, 120_000);

  /** A Mantine select: open it by its label, pick the option. */
  const choose = async (label: string, option: string) => {
    await page.getByLabel(label, { exact: true }).first().click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  /** The refusal the API gives for a call, in its own words. */
  const refusalOf = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return getErrorDetails(error)?.message ?? '';
    }
    throw new Error('the call was not refused');
  };

  it('lists billing events, replays one after confirmation, and changes a tier', async () => {
    // A top-up through the fake provider, as the billing tests pay: its hosted checkout page,
    // then its Pay button, which sends the hub a signed webhook through the providers' door.
    const checkout = await ada.billing.checkout.topUp.mutate({ pack: 'credits-10k' });
    const html = await (await fetch(checkout.url)).text();
    const action = /action="([^"]+\/pay)"/.exec(html)?.[1];
    expect(action).toBeDefined();
    const paid = await fetch(new URL(action ?? '', checkout.url), {
      method: 'POST',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const processed = async () =>
      (await admin.admin.billing.events.list.query({ provider: 'fake', type: 'checkout.paid' }))
        .items[0];
    await expect.poll(async () => (await processed())?.status, POLL).toBe('processed');
    const event = await processed();
    if (!event) throw new Error('no billing event');

    await go('/billing', 'Billing events');
    await choose('Provider', 'fake');
    await page.getByLabel('Event type').fill('checkout.paid');
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.getByTestId('billing-event-row').filter({ hasText: 'checkout.paid' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('processed');
    await row.getByRole('button', { name: 'Open' }).click();
    const detail = page.getByTestId('billing-event-detail');
    await expect.poll(() => detail.textContent()).toContain(event.eventId);
    expect(await detail.textContent()).toContain('checkout_id');
    await check('billing-events');

    // Replay, behind its confirmation: back to `received`, applied again by the job, audited.
    await detail.getByRole('button', { name: 'Replay' }).click();
    const replayDialog = page.getByRole('dialog', { name: 'Replay this event?' });
    await replayDialog.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('Queued again: received.').waitFor();
    await expect
      .poll(async () => (await admin.admin.billing.events.get.query({ id: event.id })).status, POLL)
      .toMatch(/^(processed|ignored)$/);
    const audit = await admin.admin.audit.list.query({ resourceId: event.id });
    expect(audit.items.map((a) => a.action)).toEqual(['admin.billing.replay']);

    // A tier by hand: an unknown user is refused in the API's words, inside the dialog.
    const nobody = crypto.randomUUID();
    const expected = await refusalOf(
      admin.admin.billing.changeSubscription.mutate({ userId: nobody, tier: 'PREMIUM' }),
    );
    await page.getByLabel('User id').fill(nobody);
    await page.getByLabel('Why').fill('console test partner');
    await page.getByRole('button', { name: 'Change tier' }).click();
    const tierDialog = page.getByRole('dialog', { name: 'Set the tier to PREMIUM?' });
    await tierDialog.getByRole('button', { name: 'Change' }).click();
    await expect.poll(() => tierDialog.getByRole('alert').textContent()).toContain(expected);
    await tierDialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('User id').fill(userId);
    await page.getByRole('button', { name: 'Change tier' }).click();
    await tierDialog.getByRole('button', { name: 'Change' }).click();
    await expect
      .poll(() => page.getByTestId('subscription-changed').textContent())
      .toBe(`${userId}: FREE → PREMIUM`);
    expect((await admin.admin.users.get.query({ userId })).tier).toBe('PREMIUM');
  }, 120_000);

  it('lists training sessions with their seller, champion and score', async () => {
    // A champion from a pasted call (analysed by the offline provider), a scenario, a session.
    const champion = await ada.champions.createFromTranscript.mutate({
      name: 'Sam the closer',
      transcript: TRANSCRIPT,
    });
    await ada.champions.analyze.mutate({ id: champion.id });
    await expect
      .poll(async () => (await ada.champions.get.query({ id: champion.id })).status, POLL)
      .toBe('ready');
    const scenarios = await ada.champions.scenarios.generate.mutate({ championId: champion.id });
    const scenario = scenarios.items[0];
    if (!scenario) throw new Error('no scenario');
    const session = await ada.training.start.mutate({
      championId: champion.id,
      scenarioId: scenario.id,
    });
    await ada.training.respond.mutate({
      sessionId: session.id,
      message: 'Thanks for your time. What is the hardest part of onboarding new sellers?',
    });

    await go('/training-sessions', 'Training sessions');
    await choose('Status', 'running');
    await page.getByLabel('User id').fill(userId);
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.getByTestId('training-session-row');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    for (const part of [USER.email, 'Sam the closer', scenario.title, 'running', '1 / ']) {
      expect(text).toContain(part);
    }
    await check('training-sessions');
  }, 120_000);

  it('lists GDPR requests, and erases an account after confirmation', async () => {
    const exported = await ada.gdpr.export.request.mutate();
    await expect
      .poll(async () => {
        const page = await admin.admin.gdpr.requests.list.query({ userId });
        return page.items.find((r) => r.id === exported.id)?.status;
      }, POLL)
      .toBe('ready');
    const grace = await createPhoenixClient({ url: server.url }).auth.register.mutate({
      email: 'grace@console.example',
      password: 'yet another long passphrase 3',
      displayName: 'Grace',
    });

    await go('/gdpr', 'GDPR requests');
    await choose('Kind', 'export');
    const rows = page.getByTestId('gdpr-request-row');
    await rows.filter({ hasText: USER.email }).waitFor();
    expect(await rows.filter({ hasText: USER.email }).textContent()).toContain('ready');

    // On Grace's behalf: scheduled after the grace period, then a second request is refused.
    await page.getByLabel('User id to erase').fill(grace.user.id);
    await page.getByRole('button', { name: 'Request erasure' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this account?' });
    await dialog.getByRole('button', { name: 'Erase' }).click();
    await expect
      .poll(() => page.getByTestId('erasure-requested').textContent())
      .toMatch(/^Erasure scheduled for /);
    const requests = await admin.admin.gdpr.requests.list.query({ userId: grace.user.id });
    expect(requests.items).toMatchObject([
      {
        kind: 'erasure',
        status: 'scheduled',
        requestedBy: 'admin',
        email: 'grace@console.example',
      },
    ]);
    const expected = await refusalOf(
      admin.admin.gdpr.erasure.request.mutate({ userId: grace.user.id }),
    );
    await page.getByRole('button', { name: 'Request erasure' }).click();
    await dialog.getByRole('button', { name: 'Erase' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain(expected);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Every kind: Ada's export and Grace's erasure.
    await go('/gdpr', 'GDPR requests');
    await rows.filter({ hasText: 'grace@console.example' }).waitFor();
    expect(await rows.filter({ hasText: 'grace@console.example' }).textContent()).toContain(
      'scheduled',
    );
    await rows.filter({ hasText: USER.email }).waitFor();
    await check('gdpr');
  }, 120_000);

  it('shows the other screens, each accessible', async () => {
    for (const [path, heading, name] of [
      ['/alerts', 'Alerts', 'alerts'],
      ['/jobs', 'Jobs', 'jobs'],
      ['/webhooks', 'Webhooks', 'webhooks'],
    ] as const) {
      await go(path, heading);
      await check(name);
    }
    await go('/email-templates', 'Email templates');
    await page.getByLabel('Template', { exact: true }).first().click();
    await page.getByRole('option').first().click();
    const preview = page.frameLocator('iframe[title="Email preview"]');
    await preview.locator('body').waitFor();
    expect((await preview.locator('body').textContent())?.length).toBeGreaterThan(10);
    await check('email-templates', { idle: false });
    expect(pageProblems).toEqual([]);
  }, 120_000);
});
