import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawBuilder, sql } from '../index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';

/**
 * Each query below is answered in order by an index (0022, 0023), not by sorting every row it
 * matches: planned with sorts and sequential scans priced out, the plan holds no Sort and
 * names the index. An empty table plans the same as a full one under these settings.
 */
describe('query indexes (0022, 0023)', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase({ url: process.env.TEST_DATABASE_URL });
  });
  afterAll(async () => {
    await test.close();
  });

  async function planOf(query: RawBuilder<unknown>): Promise<string> {
    return test.db.transaction().execute(async (trx) => {
      await sql`set local enable_sort = off`.execute(trx);
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<Record<string, string>>`explain ${query}`.execute(trx);
      return rows.map((row) => Object.values(row).join('')).join('\n');
    });
  }

  const id = randomUUID();
  const cases = [
    {
      what: 'a page of the credit ledger, newest first',
      query: sql`select id from credit_transactions where user_id = ${id} order by id desc limit 51`,
      index: 'credit_transactions_user_id_idx',
    },
    {
      what: "a conversation's last turns",
      query: sql`select role, content from luna_messages where conversation_id = ${id}
        order by position desc limit 30`,
      index: 'luna_messages_conversation_position_idx',
    },
    {
      what: "the user's last mood labels",
      query: sql`select label from luna_messages where user_id = ${id} and role = 'user'
        order by position desc limit 3`,
      index: 'luna_messages_user_position_idx',
    },
    {
      what: "the user's open goal proposals",
      query: sql`select id from luna_goal_proposals where user_id = ${id} and status = 'open'
        order by position desc`,
      index: 'luna_goal_proposals_user_position_idx',
    },
    {
      what: "a page of the user's API keys, newest first",
      query: sql`select id from api_keys where user_id = ${id}
        and (created_at, id) < (now(), 'k') order by created_at desc, id desc limit 21`,
      index: 'api_keys_user_created_id_idx',
    },
  ];
  // Read in time order from an index; only rows sharing one microsecond are put in id order
  // (an Incremental Sort over each such group, never a sort of every matching row).
  const byTime = [
    {
      what: "the admin's activity page for one user",
      query: sql`select id from activity_events where user_id = ${id}
        order by created_at desc, id desc limit 51`,
      index: 'activity_events_user_created_idx',
    },
    {
      what: "the admin's activity page for one action",
      query: sql`select id from activity_events where action = 'auth.login'
        order by created_at desc, id desc limit 51`,
      index: 'activity_events_action_created_idx',
    },
  ];

  for (const { what, query, index } of cases) {
    it(`${what}: read in order from ${index}`, async () => {
      const plan = await planOf(query);
      expect(plan).toContain(index);
      expect(plan).not.toMatch(/\bSort\b/);
    });
  }
  for (const { what, query, index } of byTime) {
    it(`${what}: read in time order from ${index}`, async () => {
      const plan = await planOf(query);
      expect(plan).toContain(index);
      // A plain Sort node (an Incremental Sort's "Sort Key" line is allowed).
      expect(plan).not.toMatch(/(^|->\s+)Sort\s+\(/m);
      expect(plan).toMatch(/Incremental Sort/);
    });
  }
});
