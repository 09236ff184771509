import { sql } from '@phoenix/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  PASSWORD,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../testing/index.ts';
import { acceptedTimeZones } from './index.ts';

/** The shared input rules, seen through the API as a script writer would meet them. */

let server: TestServer;
let user: Awaited<ReturnType<typeof signUp>>;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  server = await startAdminTestServer();
  user = await signUp(server, { label: 'inputs' });
  admin = await signUp(server, { label: 'inputs-admin', role: 'admin' });
});
afterAll(() => server.close());

const register = (extra: Record<string, unknown>) =>
  server.client().auth.register.mutate({
    email: `in-${Date.now()}-${Math.random()}@example.com`,
    password: PASSWORD,
    displayName: 'Ada',
    ...extra,
  });

describe('unknown keys', () => {
  it('refuses a misspelt key by name and suggests the right one', async () => {
    const details = await expectPhoenixError(register({ timezone: 'Europe/Paris' }), {
      code: 'BAD_REQUEST',
      reason: 'VALIDATION_FAILED',
    });
    expect(details.fieldErrors).toEqual([
      { path: 'timezone', message: 'unknown key "timezone" (did you mean "timeZone"?)' },
    ]);
  });

  it('names each unknown key, nested ones at their full path', async () => {
    const details = await expectPhoenixError(
      user.client.gateway.chat.mutate({
        messages: [{ role: 'user', content: 'hi', name: 'x' } as never],
        stream: true,
      } as never),
      { code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED' },
    );
    expect(details.fieldErrors?.map((f) => f.path).sort()).toEqual(['messages.0.name', 'stream']);
  });
});

describe('text Postgres cannot hold', () => {
  it('refuses NUL and lone surrogates as field errors, even before sign-in', async () => {
    const nul = await expectPhoenixError(register({ displayName: 'a\u0000b' }), {
      code: 'BAD_REQUEST',
      field: 'displayName',
    });
    expect(nul.fieldErrors?.[0]?.message).toMatch(/NUL/);
    await expectPhoenixError(user.client.rise.kaizen.create.mutate({ text: 'x\u0000' }), {
      code: 'BAD_REQUEST',
      field: 'text',
    });
    await expectPhoenixError(
      user.client.auth.apiKeys.create.mutate({ name: 'k\u0000', scopes: ['read'] }),
      { code: 'BAD_REQUEST', field: 'name' },
    );
    const lone = await expectPhoenixError(
      user.client.gateway.chat.mutate({ messages: [{ role: 'user', content: 'a\uD800' }] }),
      { code: 'BAD_REQUEST', field: 'messages.0.content' },
    );
    expect(lone.fieldErrors?.[0]?.message).toMatch(/surrogate/);
    await expectPhoenixError(
      admin.client.gateway.admin.grantCredits.mutate({
        userId: user.id,
        amount: 1,
        note: '\uDC00',
      }),
      { code: 'BAD_REQUEST', field: 'note' },
    );
  });

  it('accepts a well-formed pair (an emoji)', async () => {
    const action = await user.client.rise.kaizen.create.mutate({ text: 'run 🏃' });
    expect(action.text).toBe('run 🏃');
  });
});

describe('dates the database holds', () => {
  it('refuses days and instants outside the years 1900 to 9999', async () => {
    const day = await expectPhoenixError(
      user.client.rise.kaizen.create.mutate({ text: 'x', date: '0000-01-01' }),
      { code: 'BAD_REQUEST', field: 'date' },
    );
    expect(day.fieldErrors?.[0]?.message).toMatch(/1900 and 9999/);
    await expectPhoenixError(user.client.rise.kaizen.list.query({ from: '1899-12-31' }), {
      code: 'BAD_REQUEST',
      field: 'from',
    });
    const jsMin = new Date(-8.64e15);
    await expectPhoenixError(
      user.client.rise.zazen.record.mutate({
        startedAt: jsMin,
        durationSeconds: 60,
        trigger: 'routine',
      }),
      { code: 'BAD_REQUEST', field: 'startedAt' },
    );
    await expectPhoenixError(user.client.rise.zazen.list.query({ to: new Date(8.64e15) }), {
      code: 'BAD_REQUEST',
      field: 'to',
    });
    await expectPhoenixError(admin.client.admin.audit.list.query({ from: jsMin }), {
      code: 'BAD_REQUEST',
      field: 'from',
    });
  });
});

describe('time zones', () => {
  it('refuses a zone Postgres does not know, and offsets, suggesting what to use', async () => {
    await expectPhoenixError(
      user.client.auth.updateProfile.mutate({ timeZone: 'US/Pacific-New' }),
      {
        code: 'BAD_REQUEST',
        field: 'timeZone',
      },
    );
    const plus = await expectPhoenixError(
      user.client.auth.updateProfile.mutate({ timeZone: '+14:00' }),
      { code: 'BAD_REQUEST', field: 'timeZone' },
    );
    expect(plus.fieldErrors?.[0]?.message).toMatch(/Etc\/GMT-14/);
    const minus = await expectPhoenixError(
      user.client.auth.updateProfile.mutate({ timeZone: '-12:00' }),
      { code: 'BAD_REQUEST', field: 'timeZone' },
    );
    expect(minus.fieldErrors?.[0]?.message).toMatch(/Etc\/GMT\+12/);
    // Rise still works for this user: nothing unusable was stored.
    await expect(user.client.rise.stats.query()).resolves.toBeDefined();
  });

  it('stores a zone in the spelling Postgres lists, and Rise computes days in it', async () => {
    const updated = await user.client.auth.updateProfile.mutate({ timeZone: 'pacific/kiritimati' });
    expect(updated.timeZone).toBe('Pacific/Kiritimati');
    const dayThere = () =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    const before = dayThere();
    const { today } = await user.client.rise.kaizen.streaks.query();
    // UTC+14: "today" there is often not today in UTC; either read may straddle midnight.
    expect([before, dayThere()]).toContain(today);
  });

  it('accepts only zones that the running database lists in pg_timezone_names', async () => {
    const { rows } = await sql<{ name: string }>`select name from pg_timezone_names`.execute(
      server.deps.db,
    );
    const known = new Set(rows.map((r) => r.name));
    const accepted = acceptedTimeZones();
    expect(accepted.length).toBeGreaterThan(400);
    expect(accepted.filter((zone) => !known.has(zone))).toEqual([]);
    for (const zone of ['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Etc/GMT-14'])
      expect(accepted).toContain(zone);
  });
});
