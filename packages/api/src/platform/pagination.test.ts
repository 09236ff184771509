import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  type SignedUp,
  signUp,
  startAdminTestServer,
  type TestServer,
} from '../testing/index.ts';
import { captureError } from './error-log/capture.ts';

let server: TestServer;
let admin: SignedUp;

beforeAll(async () => {
  server = await startAdminTestServer();
  admin = await signUp(server, { label: 'pager', role: 'admin' });
});
afterAll(() => server.close());

const occur = (message: string) =>
  captureError(server.deps.db, { error: new Error(message), path: 'test.page', requestId: null });

// Error groups are told apart by their message with digits and ids blanked out: letters only.
const word = (n: number) =>
  Array.from({ length: 4 }, (_, i) => String.fromCharCode(97 + ((n >> (i * 4)) % 16))).join('');

const handMade = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('keyset pagination', () => {
  it('pages the error log exactly once while errors recur and new ones arrive', async () => {
    const tag = `page ${word(Date.now() & 0xffff)}`;
    const messages = Array.from({ length: 9 }, (_, i) => `${tag} failure ${word(i + 1)}`);
    for (const message of messages) await occur(message);
    const list = (cursor?: string) =>
      admin.client.admin.errors.list.query({
        status: 'all',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });

    const seen: string[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      const page = await list(cursor);
      seen.push(...page.items.filter((e) => e.message.startsWith(tag)).map((e) => e.message));
      cursor = page.nextCursor ?? undefined;
      // Between pages: the last row seen recurs, a row not yet seen recurs, a new one arrives.
      const last = page.items.at(-1);
      if (last) await occur(last.message);
      await occur(messages[round % messages.length] ?? '');
      await occur(`${tag} newcomer ${word(++round)}`);
    } while (cursor);

    const original = seen.filter((m) => !m.includes('newcomer'));
    expect(original.toSorted()).toEqual(messages.toSorted());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a malformed or out-of-range cursor as a 400 naming the field', async () => {
    const uuid = randomUUID();
    const cursors = [
      'not a cursor',
      handMade(['kaizen:desc', '2026-13-01', '1764000000000000', uuid]),
      handMade(['kaizen:desc', '2026-02-30', '1764000000000000', uuid]),
      handMade(['kaizen:desc', '2026-01-01', '1'.repeat(20), uuid]),
      handMade(['kaizen:desc', '2026-01-01', '1764000000000000', 'not-a-uuid']),
      handMade(['kaizen:desc', '2026-01-01', '1764000000000000']),
      handMade({ id: uuid }),
      // A cursor of the same list in the other order, and of another list.
      handMade(['kaizen:asc', '2026-01-01', '1764000000000000', uuid]),
      handMade(['zazen', '1764000000000000', uuid]),
    ];
    for (const cursor of cursors) {
      await expectPhoenixError(admin.client.rise.kaizen.list.query({ cursor }), {
        code: 'BAD_REQUEST',
        reason: 'BAD_CURSOR',
        field: 'cursor',
      });
    }
  });

  it('carries the sort values, so a cursor survives its row changing', async () => {
    const user = await signUp(server, { label: 'cursor-row' });
    for (let i = 0; i < 3; i++) {
      await user.client.rise.kaizen.create.mutate({ text: `step ${i}` });
    }
    const first = await user.client.rise.kaizen.list.query({ limit: 1, order: 'asc' });
    expect(first.nextCursor).not.toBeNull();
    await user.client.rise.kaizen.delete.mutate({ id: first.items[0]?.id ?? '' });
    const rest = await user.client.rise.kaizen.list.query({
      limit: 10,
      order: 'asc',
      cursor: first.nextCursor ?? '',
    });
    expect(rest.items.map((a) => a.text)).toEqual(['step 1', 'step 2']);
  });
});
