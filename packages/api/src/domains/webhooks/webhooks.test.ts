import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRowsFor,
  expectPhoenixError,
  signUp,
  startAdminTestServer,
  startWebhookReceiver,
  type TestServer,
  type WebhookReceiver,
} from '../../testing/index.ts';

const WAIT = { timeout: 30_000, interval: 100 };
const OPEN_ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,0,0',
  // Roomy: a busy machine must not turn a slow local answer into a timeout. The hang test
  // runs on a server of its own with a short one.
  WEBHOOK_TIMEOUT_MS: '10000',
};

let database: TestDatabase;
let kv: TestKv;
let a: TestServer;
let b: TestServer;
let receiver: WebhookReceiver;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  kv = createTestKv();
  receiver = await startWebhookReceiver();
  a = await startAdminTestServer({ database, kv, worker: true, env: OPEN_ENV });
  b = await startAdminTestServer({ database, kv, worker: true, env: OPEN_ENV });
  admin = await signUp(a, { label: 'hooks-admin', role: 'admin' });
});
afterAll(async () => {
  await Promise.allSettled([a?.close(), b?.close()]);
  await receiver?.close();
  await kv?.close();
  await database?.close();
});

const create = (
  path: string,
  eventTypes: ('user.registered' | 'user.updated')[] = ['user.registered'],
) => admin.client.admin.webhooks.create.mutate({ url: `${receiver.url}${path}`, eventTypes });

const logsOf = async (deliveryId: string) =>
  (await admin.client.admin.webhookLogs.list.query({ deliveryId })).items.sort(
    (x, y) => x.attempt - y.attempt,
  );

const bodyOf = (hit: { body: string }) =>
  JSON.parse(hit.body) as { type: string; data: Record<string, unknown> };

describe('outbound webhooks', () => {
  it('delivers subscribed events signed per Standard Webhooks; the secret is shown once', async () => {
    const endpoint = await create('/signed');
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const fetched = await admin.client.admin.webhooks.get.query({ id: endpoint.id });
    expect(fetched).not.toHaveProperty('secret');
    const audit = await auditRowsFor(a, endpoint.id);
    expect(audit).toMatchObject([{ action: 'admin.webhooks.create', resourceType: 'webhook' }]);
    expect(JSON.stringify(audit)).not.toContain(endpoint.secret.slice(6));

    const user = await signUp(a, { label: 'hooked' });
    await expect
      .poll(() => receiver.on('/signed').filter((h) => bodyOf(h).data.userId === user.id), WAIT)
      .toHaveLength(1);
    const hit = receiver.on('/signed').find((h) => bodyOf(h).data.userId === user.id);
    if (!hit) throw new Error('no delivery');
    const verified = new Webhook(endpoint.secret).verify(
      hit.body,
      hit.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ type: 'user.registered', data: { userId: user.id } });
    expect(hit.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    // A message signed with another secret is refused by the same library.
    const other = await create('/other');
    expect(() =>
      new Webhook(other.secret).verify(hit.body, hit.headers as Record<string, string>),
    ).toThrow();
  });

  it('a receiver that fails then succeeds gets exactly one successful delivery; failures are logged', async () => {
    const endpoint = await create('/flaky');
    receiver.reply('/flaky', 500, 503, 200);
    const { deliveryId, messageId } = await admin.client.admin.webhooks.test.mutate({
      id: endpoint.id,
    });
    await expect.poll(async () => (await logsOf(deliveryId)).length, WAIT).toBe(3);
    const logs = await logsOf(deliveryId);
    expect(logs.map((l) => [l.attempt, l.succeeded, l.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 503],
      [3, true, 200],
    ]);
    const detail = await admin.client.admin.webhookLogs.get.query({ id: logs[0]?.id ?? '' });
    expect(detail).toMatchObject({ responseBody: 'answered 500', deliveryStatus: 'succeeded' });
    const hits = receiver.on('/flaky').filter((h) => h.headers['webhook-id'] === messageId);
    expect(hits.filter((h) => h.status === 200)).toHaveLength(1);
    expect(hits).toHaveLength(3);
    const endpointAfter = await admin.client.admin.webhooks.get.query({ id: endpoint.id });
    expect(endpointAfter.failingSince).toBeNull();
  });

  it('a receiver that hangs times out; a delivery out of attempts can be retried, audited', async () => {
    await using hub = await startAdminTestServer({
      worker: true,
      env: { ...OPEN_ENV, WEBHOOK_TIMEOUT_MS: '1000' },
    });
    const hubAdmin = await signUp(hub, { label: 'hang-admin', role: 'admin' });
    const endpoint = await hubAdmin.client.admin.webhooks.create.mutate({
      url: `${receiver.url}/hang`,
      eventTypes: ['user.registered'],
    });
    receiver.reply('/hang', 'hang');
    const { deliveryId } = await hubAdmin.client.admin.webhooks.test.mutate({ id: endpoint.id });
    const logsOf = async (id: string) =>
      (await hubAdmin.client.admin.webhookLogs.list.query({ deliveryId: id })).items.sort(
        (x, y) => x.attempt - y.attempt,
      );
    await expect.poll(async () => (await logsOf(deliveryId)).length, WAIT).toBe(3);
    const logs = await logsOf(deliveryId);
    expect(logs.every((l) => l.error === 'timeout' && l.statusCode === null)).toBe(true);
    const failed = await hubAdmin.client.admin.webhookLogs.get.query({ id: logs[2]?.id ?? '' });
    expect(failed.deliveryStatus).toBe('failed');

    receiver.reply('/hang', 200);
    const retried = await hubAdmin.client.admin.webhookLogs.retry.mutate({ id: logs[2]?.id ?? '' });
    expect(retried).toEqual({ deliveryId, attempt: 4 });
    await expect.poll(async () => (await logsOf(deliveryId)).at(-1)?.succeeded, WAIT).toBe(true);
    await expectPhoenixError(
      hubAdmin.client.admin.webhookLogs.retry.mutate({ id: logs[2]?.id ?? '' }),
      {
        code: 'CONFLICT',
        reason: 'WEBHOOK_DELIVERY_NOT_FAILED',
      },
    );
    expect(await auditRowsFor(hub, deliveryId)).toMatchObject([
      { action: 'admin.webhookLogs.retry', resourceType: 'webhook_delivery' },
    ]);
  });

  it('a regenerated secret keeps the old one valid: both signatures are sent', async () => {
    const endpoint = await create('/rotate');
    const rotated = await admin.client.admin.webhooks.regenerateSecret.mutate({ id: endpoint.id });
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previousSecretExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const { messageId } = await admin.client.admin.webhooks.test.mutate({ id: endpoint.id });
    await expect
      .poll(() => receiver.on('/rotate').filter((h) => h.headers['webhook-id'] === messageId), WAIT)
      .toHaveLength(1);
    const hit = receiver.on('/rotate').find((h) => h.headers['webhook-id'] === messageId);
    if (!hit) throw new Error('no delivery');
    expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect(
        new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>),
      ).toMatchObject({
        type: 'webhook.test',
      });
    }
    const audit = await auditRowsFor(a, endpoint.id);
    expect(audit.map((row) => row.action)).toContain('admin.webhooks.regenerateSecret');
    const text = JSON.stringify(audit);
    expect(text).not.toContain(endpoint.secret.slice(6));
    expect(text).not.toContain(rotated.secret.slice(6));
  });

  it('two server instances share the queue without double delivery', async () => {
    const endpoint = await create('/pair');
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signUp(i % 2 === 0 ? a : b, { label: `pair${i}` })),
    );
    const ids = new Set(users.map((u) => u.id));
    const mine = () => receiver.on('/pair').filter((h) => ids.has(String(bodyOf(h).data.userId)));
    await expect.poll(() => mine().length, WAIT).toBeGreaterThanOrEqual(10);
    // Every delivery is settled, so nothing more can arrive: the count is final.
    await expect
      .poll(async () => {
        const rows = await a.deps.db
          .selectFrom('webhookDeliveries')
          .select('status')
          .where('endpointId', '=', endpoint.id)
          .execute();
        return rows.length === 10 && rows.every((row) => row.status === 'succeeded');
      }, WAIT)
      .toBe(true);
    expect(mine()).toHaveLength(10);
    expect(new Set(mine().map((h) => h.headers['webhook-id'])).size).toBe(10);
  });

  it('a rolled-back write emits nothing', async () => {
    const endpoint = await create('/rollback', ['user.updated']);
    const user = await signUp(a, { label: 'rollback' });
    await expect(
      a.deps.db.transaction().execute(async (trx) => {
        await a.deps.events.emit(trx, {
          type: 'user.updated',
          payload: { userId: user.id, fields: ['never'] },
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await user.client.auth.updateProfile.mutate({ displayName: 'committed' });
    await expect.poll(() => receiver.on('/rollback').length, WAIT).toBe(1);
    expect(bodyOf(receiver.on('/rollback')[0] ?? { body: '{}' }).data.fields).toEqual([
      'displayName',
    ]);
    const deliveries = await a.deps.db
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('endpointId', '=', endpoint.id)
      .execute();
    expect(deliveries).toHaveLength(1);
  });

  it('updates and deletes are audited with old and new values', async () => {
    const endpoint = await create('/edit');
    await admin.client.admin.webhooks.update.mutate({
      id: endpoint.id,
      enabled: false,
      description: 'off',
    });
    await admin.client.admin.webhooks.delete.mutate({ id: endpoint.id });
    await expectPhoenixError(admin.client.admin.webhooks.get.query({ id: endpoint.id }), {
      code: 'NOT_FOUND',
    });
    const audit = await auditRowsFor(a, endpoint.id);
    expect(audit).toMatchObject([
      { action: 'admin.webhooks.create' },
      {
        action: 'admin.webhooks.update',
        oldValue: { enabled: true, description: '' },
        newValue: { enabled: false, description: 'off' },
      },
      { action: 'admin.webhooks.delete', oldValue: { id: endpoint.id }, newValue: null },
    ]);
    const stats = await admin.client.admin.stats.webhooks.query();
    expect(stats.attempts.total).toBeGreaterThan(0);
  });
});

describe('SSRF guard', () => {
  let guarded: TestServer;
  let guardAdmin: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    guarded = await startAdminTestServer({
      worker: true,
      env: { WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,1,1,1,1', WEBHOOK_DISABLE_AFTER_SECONDS: '1' },
    });
    guardAdmin = await signUp(guarded, { label: 'guard-admin', role: 'admin' });
  });
  afterAll(() => guarded?.close());

  it.each([
    'http://127.0.0.1/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/hook',
    'http://localhost:8080/hook',
  ])('refuses %s at creation', async (url) => {
    await expectPhoenixError(
      guardAdmin.client.admin.webhooks.create.mutate({ url, eventTypes: ['user.registered'] }),
      { code: 'FORBIDDEN', reason: 'WEBHOOK_TARGET_FORBIDDEN' },
    );
  });

  it('refuses at delivery too, and disables an endpoint that keeps failing, with an alert', async () => {
    // Written directly: an endpoint that passed the check when saved, whose target is now private.
    const { id } = await guarded.deps.db
      .insertInto('webhookEndpoints')
      .values({
        url: `${receiver.url}/guarded`,
        eventTypes: ['user.registered'],
        secret: 'whsec_AAAA',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { deliveryId } = await guardAdmin.client.admin.webhooks.test.mutate({ id });
    await expect
      .poll(async () => (await guardAdmin.client.admin.webhooks.get.query({ id })).enabled, WAIT)
      .toBe(false);
    const logs = (await guardAdmin.client.admin.webhookLogs.list.query({ deliveryId })).items;
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.every((l) => /private or reserved/.test(l.error ?? ''))).toBe(true);
    expect(receiver.on('/guarded')).toHaveLength(0);
    const alerts = await guardAdmin.client.admin.alerts.list.query();
    expect(alerts.items.map((alert) => alert.kind)).toContain('webhook.endpoint-disabled');
    const endpoint = await guardAdmin.client.admin.webhooks.get.query({ id });
    expect(endpoint.disabledReason).toMatch(/failing since/);
  });
});
