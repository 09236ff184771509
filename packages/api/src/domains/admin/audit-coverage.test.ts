import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { raiseAlert } from '../../platform/alerts.ts';
import { captureError } from '../../platform/error-log/capture.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { appRouter } from '../../root.ts';
import type { TestServer } from '../../testing/index.ts';
import { signUp, startAdminTestServer } from '../../testing/index.ts';

/**
 * Every admin mutation writes an audit row of its own; the fallback row (resource type
 * `unknown`, written when a mutation recorded nothing) must never be needed. Each entry
 * makes what its call needs, calls it once, and names the row the call must leave.
 * A new admin mutation fails the first test until it is added here.
 */

type Admin = Awaited<ReturnType<typeof signUp>>;
interface Fixture {
  server: TestServer;
  admin: Admin;
  /** A plain user the calls act on. */
  target: { id: string };
}
interface ExpectedRow {
  resourceType: string;
  resourceId: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}
type Sample = (f: Fixture) => Promise<ExpectedRow>;

async function noteOf(f: Fixture): Promise<string> {
  const note = await f.server.deps.db
    .insertInto('adminUserNotes')
    .values({ userId: f.target.id, authorId: f.admin.id, body: 'seed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return note.id;
}

/** Written directly: the coverage server refuses private targets, as production does. */
async function endpointOf(f: Fixture): Promise<string> {
  const row = await f.server.deps.db
    .insertInto('webhookEndpoints')
    .values({
      url: 'https://example.com/hook',
      eventTypes: ['user.registered'],
      secret: 'whsec_AA',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function failedDeliveryLogOf(f: Fixture): Promise<{ deliveryId: string; logId: string }> {
  const endpointId = await endpointOf(f);
  const delivery = await f.server.deps.db
    .insertInto('webhookDeliveries')
    .values({
      endpointId,
      messageId: crypto.randomUUID(),
      eventType: 'webhook.test',
      payload: '{}',
      status: 'failed',
      attempts: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const log = await f.server.deps.db
    .insertInto('webhookLogs')
    .values({
      deliveryId: delivery.id,
      endpointId,
      attempt: 1,
      succeeded: false,
      statusCode: 500,
      error: 'HTTP 500',
      latencyMs: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { deliveryId: delivery.id, logId: log.id };
}

async function templateOf(f: Fixture): Promise<string> {
  await f.server.deps.db
    .deleteFrom('emailTemplates')
    .where('trigger', '=', 'credits_low')
    .where('locale', '=', 'fr')
    .execute();
  const row = await f.server.deps.db
    .insertInto('emailTemplates')
    .values({ trigger: 'credits_low', locale: 'fr', subject: 'S', html: '<p>H</p>', text: 'T' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function alertOf(f: Fixture): Promise<string> {
  const dedupeKey = `coverage:${crypto.randomUUID()}`;
  await raiseAlert(f.server.deps.db, {
    kind: 'test.coverage',
    severity: 'info',
    title: 'A',
    dedupeKey,
  });
  const alert = await f.server.deps.db
    .selectFrom('adminAlerts')
    .select('id')
    .where('dedupeKey', '=', dedupeKey)
    .executeTakeFirstOrThrow();
  return alert.id;
}

/** Never run (no worker here): failed by hand, so `admin.jobs.retry` has a dead letter to revive. */
const coverageJob = defineJob({
  name: 'test.coverage',
  payload: z.object({}),
  retry: { limit: 0 },
  async handler() {},
});

const SAMPLES: Record<string, Sample> = {
  'admin.users.update': async ({ admin, target }) => {
    await admin.client.admin.users.update.mutate({ userId: target.id, tier: 'PREMIUM' });
    return { resourceType: 'user', resourceId: target.id };
  },
  'admin.notes.create': async ({ admin, target }) => {
    const note = await admin.client.admin.notes.create.mutate({ userId: target.id, body: 'hi' });
    return { resourceType: 'user_note', resourceId: note.id };
  },
  'admin.notes.update': async (f) => {
    const noteId = await noteOf(f);
    await f.admin.client.admin.notes.update.mutate({ noteId, body: 'edited' });
    return { resourceType: 'user_note', resourceId: noteId };
  },
  'admin.notes.pin': async (f) => {
    const noteId = await noteOf(f);
    await f.admin.client.admin.notes.pin.mutate({ noteId, pinned: true });
    return { resourceType: 'user_note', resourceId: noteId };
  },
  'admin.notes.delete': async (f) => {
    const noteId = await noteOf(f);
    await f.admin.client.admin.notes.delete.mutate({ noteId });
    return { resourceType: 'user_note', resourceId: noteId };
  },
  'admin.errors.resolve': async ({ server, admin }) => {
    const path = `coverage.${crypto.randomUUID()}`;
    await captureError(server.deps.db, { error: new Error('boom'), path, requestId: null });
    const { id } = await server.deps.db
      .selectFrom('adminErrors')
      .select('id')
      .where('path', '=', path)
      .executeTakeFirstOrThrow();
    await admin.client.admin.errors.resolve.mutate({ errorId: id, note: 'fixed' });
    return { resourceType: 'error', resourceId: id };
  },
  'admin.alerts.markRead': async (f) => {
    const alertId = await alertOf(f);
    await f.admin.client.admin.alerts.markRead.mutate({ alertId });
    return { resourceType: 'alert', resourceId: alertId };
  },
  'admin.alerts.dismiss': async (f) => {
    const alertId = await alertOf(f);
    await f.admin.client.admin.alerts.dismiss.mutate({ alertId });
    return { resourceType: 'alert', resourceId: alertId };
  },
  'admin.alerts.markAllRead': async (f) => {
    await alertOf(f);
    await f.admin.client.admin.alerts.markAllRead.mutate();
    return { resourceType: 'alert', resourceId: null };
  },
  'admin.webhooks.create': async ({ server, admin }) => {
    // A public address (no DNS needed): the coverage server applies the SSRF guard.
    const created = await admin.client.admin.webhooks.create.mutate({
      url: 'http://93.184.215.14/hook',
      eventTypes: ['user.registered'],
    });
    const row = await server.deps.db
      .selectFrom('adminAuditLog')
      .select('newValue')
      .where('resourceId', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row.newValue)).not.toContain(created.secret.slice(6));
    return { resourceType: 'webhook', resourceId: created.id };
  },
  'admin.webhooks.update': async (f) => {
    const id = await endpointOf(f);
    await f.admin.client.admin.webhooks.update.mutate({ id, description: 'edited' });
    return { resourceType: 'webhook', resourceId: id };
  },
  'admin.webhooks.delete': async (f) => {
    const id = await endpointOf(f);
    await f.admin.client.admin.webhooks.delete.mutate({ id });
    return { resourceType: 'webhook', resourceId: id };
  },
  'admin.webhooks.regenerateSecret': async (f) => {
    const id = await endpointOf(f);
    await f.admin.client.admin.webhooks.regenerateSecret.mutate({ id });
    return { resourceType: 'webhook', resourceId: id };
  },
  'admin.webhooks.test': async (f) => {
    const id = await endpointOf(f);
    await f.admin.client.admin.webhooks.test.mutate({ id });
    return { resourceType: 'webhook', resourceId: id };
  },
  'admin.webhookLogs.retry': async (f) => {
    const { deliveryId, logId } = await failedDeliveryLogOf(f);
    await f.admin.client.admin.webhookLogs.retry.mutate({ id: logId });
    return { resourceType: 'webhook_delivery', resourceId: deliveryId };
  },
  'admin.billing.replay': async ({ server, admin }) => {
    // A stored provider event (no worker here: the replayed job only waits in the queue).
    const event = await server.deps.db
      .insertInto('billingEvents')
      .values({
        provider: 'fake',
        eventId: `fake_evt_${crypto.randomUUID()}`,
        type: 'checkout.paid',
        payload: '{}',
        providerCreatedAt: new Date(),
        status: 'failed',
        error: 'coverage',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await admin.client.admin.billing.replay.mutate({ id: event.id });
    return {
      resourceType: 'billing_event',
      resourceId: event.id,
      oldValue: { status: 'failed', error: 'coverage' },
      newValue: { status: 'received' },
    };
  },
  'admin.billing.changeSubscription': async ({ admin, target }) => {
    await admin.client.admin.billing.changeSubscription.mutate({
      userId: target.id,
      tier: 'PREMIUM',
      note: 'comp',
    });
    return {
      resourceType: 'user.subscription',
      resourceId: target.id,
      newValue: { tier: 'PREMIUM', note: 'comp' },
    };
  },
  'admin.jobs.retry': async ({ server, admin }) => {
    const id = (await server.deps.jobs.send(coverageJob, {})) ?? '';
    await server.deps.jobs.boss().fail(coverageJob.name, id, { message: 'coverage' });
    await admin.client.admin.jobs.retry.mutate({ id });
    return { resourceType: 'job', resourceId: id };
  },
  'admin.emailTemplates.create': async ({ admin }) => {
    const created = await admin.client.admin.emailTemplates.create.mutate({
      trigger: 'subscription_changed',
      locale: 'en',
      subject: 'Now {{tier}}',
      html: '<p>{{displayName}}</p>',
      text: '{{displayName}}',
    });
    return { resourceType: 'email_template', resourceId: created.id };
  },
  'admin.emailTemplates.update': async (f) => {
    const id = await templateOf(f);
    await f.admin.client.admin.emailTemplates.update.mutate({ id, subject: 'Solde {{balance}}' });
    return {
      resourceType: 'email_template',
      resourceId: id,
      oldValue: { subject: 'S', html: '<p>H</p>', text: 'T' },
      newValue: { subject: 'Solde {{balance}}', html: '<p>H</p>', text: 'T' },
    };
  },
  'admin.emailTemplates.delete': async (f) => {
    const id = await templateOf(f);
    await f.admin.client.admin.emailTemplates.delete.mutate({ id });
    return { resourceType: 'email_template', resourceId: id };
  },
  'admin.emailTemplates.sendTest': async (f) => {
    const id = await templateOf(f);
    await f.admin.client.admin.emailTemplates.sendTest.mutate({ id });
    return { resourceType: 'email_template', resourceId: id };
  },
  'admin.gdpr.erasure.request': async ({ server, admin }) => {
    const person = await signUp(server, { label: 'asked-by-letter' });
    await admin.client.admin.gdpr.erasure.request.mutate({ userId: person.id });
    return { resourceType: 'user', resourceId: person.id };
  },
  'admin.gdpr.erasure.cancel': async ({ server, admin }) => {
    const person = await signUp(server, { label: 'changed-mind' });
    const { id } = await admin.client.admin.gdpr.erasure.request.mutate({ userId: person.id });
    await admin.client.admin.gdpr.erasure.cancel.mutate({ userId: person.id });
    return {
      resourceType: 'user',
      resourceId: person.id,
      newValue: { erasureRequestId: id, status: 'cancelled' },
    };
  },
  'gateway.admin.grantCredits': async ({ server, admin, target }) => {
    const before = await server.deps.db
      .selectFrom('creditBalances')
      .select('balance')
      .where('userId', '=', target.id)
      .executeTakeFirstOrThrow();
    await admin.client.gateway.admin.grantCredits.mutate({
      userId: target.id,
      amount: 250,
      note: 'goodwill',
    });
    return {
      resourceType: 'user',
      resourceId: target.id,
      oldValue: { balance: before.balance },
      newValue: { amount: 250, note: 'goodwill', balance: before.balance + 250 },
    };
  },
};

const adminMutations = Object.entries(appRouter._def.procedures as Record<string, unknown>)
  .filter(([, p]) => {
    const def = (p as { _def: { type: string; meta?: { access?: string } } })._def;
    return def.type === 'mutation' && def.meta?.access === 'admin';
  })
  .map(([path]) => path)
  .sort();

let fixture: Fixture;
beforeAll(async () => {
  const server = await startAdminTestServer({ jobs: [coverageJob] });
  const admin = await signUp(server, { label: 'auditor', role: 'admin' });
  const target = await signUp(server, { label: 'subject' });
  fixture = { server, admin, target };
});
afterAll(() => fixture.server.close());

describe('audit coverage of admin writes', () => {
  it('has a sample for every admin mutation', () => {
    expect(adminMutations.length).toBeGreaterThan(5);
    expect(Object.keys(SAMPLES).sort()).toEqual(adminMutations);
  });

  it.each(adminMutations)('%s writes its own audit row', async (path) => {
    const sample = SAMPLES[path];
    if (!sample) throw new Error(`no sample for ${path}`);
    const expected = await sample(fixture);
    const rows = await fixture.server.deps.db
      .selectFrom('adminAuditLog')
      .select(['resourceType', 'resourceId', 'oldValue', 'newValue', 'adminId'])
      .where('action', '=', path)
      .execute();
    expect(rows.map((r) => r.resourceType)).not.toContain('unknown');
    expect(rows).toContainEqual(
      expect.objectContaining({ ...expected, adminId: fixture.admin.id }),
    );
  });

  it('a replayed credit grant changes nothing and still leaves its own row', async () => {
    const { server, admin, target } = fixture;
    const grant = { userId: target.id, amount: 5, note: 'once', idempotencyKey: 'coverage-replay' };
    const first = await admin.client.gateway.admin.grantCredits.mutate(grant);
    const again = await admin.client.gateway.admin.grantCredits.mutate(grant);
    expect(again).toEqual({ applied: false, balance: first.balance });
    const rows = await server.deps.db
      .selectFrom('adminAuditLog')
      .select(['resourceType', 'oldValue', 'newValue'])
      .where('action', '=', 'gateway.admin.grantCredits')
      .where('resourceId', '=', target.id)
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(rows).toEqual([
      {
        resourceType: 'user',
        oldValue: null,
        newValue: { amount: 5, note: 'once', balance: first.balance, replayed: true },
      },
      {
        resourceType: 'user',
        oldValue: { balance: first.balance - 5 },
        newValue: { amount: 5, note: 'once', balance: first.balance },
      },
    ]);
  });
});
