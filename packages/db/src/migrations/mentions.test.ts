import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';

/** The SQL functions of migration 0021, as the GDPR export and erasure use them. */
describe('mention patterns (0021)', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase({ url: process.env.TEST_DATABASE_URL });
  });
  afterAll(async () => {
    await test.close();
  });

  /** Whether a string value of the JSON `json` mentions the email. */
  const emailIn = async (email: string, json: string) => {
    const { rows } = await sql<{ found: boolean }>`
      select jsonb_mentions(${json}::jsonb, email_mention_pattern(${email})) as found
    `.execute(test.db);
    return rows[0]?.found;
  };
  const wordIn = async (word: string, json: string) => {
    const { rows } = await sql<{ found: boolean }>`
      select jsonb_mentions(${json}::jsonb, mention_pattern(${word})) as found
    `.execute(test.db);
    return rows[0]?.found;
  };

  it('finds an email as a whole address, in any case, inside JSON or prose', async () => {
    expect(await emailIn('m@example.com', '{"email": "m@example.com"}')).toBe(true);
    expect(await emailIn('m@example.com', '{"note": "called M@Example.COM."}')).toBe(true);
    expect(await emailIn('m@example.com', '"m@example.com"')).toBe(true);
    // After a line break or a tab (which JSON text writes as \n and \t), deep in arrays.
    expect(await emailIn('m@example.com', '{"note": "Contact:\\nm@example.com"}')).toBe(true);
    expect(await emailIn('m@example.com', '{"a": [{"b": ["x", "\\tm@example.com"]}]}')).toBe(true);
  });

  it('looks only in string values: not in keys, not across values', async () => {
    expect(await emailIn('m@example.com', '{"m@example.com": 1}')).toBe(false);
    expect(await emailIn('m@example.com', '{"a": "m@", "b": "example.com"}')).toBe(false);
    expect(await wordIn('true', '{"active": true}')).toBe(false);
  });

  it('never inside a longer address', async () => {
    expect(await emailIn('m@example.com', '{"email": "tom@example.com"}')).toBe(false);
    expect(await emailIn('m@example.com', '{"email": "a.m@example.com"}')).toBe(false);
    expect(await emailIn('m@example.com', '{"email": "x+m@example.com"}')).toBe(false);
    expect(await emailIn('m@example.com', '{"email": "m@example.com.au"}')).toBe(false);
    expect(await emailIn('m@example.com', '{"email": "m@example.company"}')).toBe(false);
  });

  it('reads the address literally, not as a pattern', async () => {
    expect(await emailIn('a.b+c@x.io', '{"e": "a.b+c@x.io"}')).toBe(true);
    expect(await emailIn('a.b+c@x.io', '{"e": "aXb+c@x.io"}')).toBe(false);
    expect(await emailIn('a.b+c@x.io', '{"e": "a.bbc@x.io"}')).toBe(false);
  });

  it('finds an id or a name as a whole word', async () => {
    expect(await wordIn('cus_12', '{"customer": "cus_12"}')).toBe(true);
    expect(await wordIn('cus_12', '{"customer": "cus_123"}')).toBe(false);
    expect(await wordIn('Al', '{"name": "Alice"}')).toBe(false);
    expect(await wordIn('Al', '{"name": "Al Smith"}')).toBe(true);
  });

  it('scrubs string values only, so the JSON stays whole whatever the name', async () => {
    const subject = '11111111-1111-4111-8111-111111111111';
    const value = { n: 'line1\nline2', active: true, email: 'x', count: 3, names: ['N', 'Ann'] };
    const { rows } = await sql<{ scrubbed: Record<string, unknown> }>`
      select admin_audit_scrub(${JSON.stringify(value)}::jsonb, ${subject}::uuid,
        ${subject}::uuid, array['N', 'true', 'email', '3']) as scrubbed
    `.execute(test.db);
    expect(rows[0]?.scrubbed).toEqual({
      n: 'line1\nline2',
      active: true,
      email: 'x',
      count: 3,
      names: ['[erased]', 'Ann'],
    });
  });

  it('scrubs the audit values of whole mentions only', async () => {
    const subject = '11111111-1111-4111-8111-111111111111';
    const tombstone = '22222222-2222-4222-8222-222222222222';
    const value = {
      about: subject,
      email: 'm@example.com',
      other: 'tom@example.com',
      note: 'Al called M@example.com about Alice',
    };
    const { rows } = await sql<{ scrubbed: Record<string, string> }>`
      select admin_audit_scrub(${JSON.stringify(value)}::jsonb, ${subject}::uuid,
        ${tombstone}::uuid, array['m@example.com', 'Al']) as scrubbed
    `.execute(test.db);
    expect(rows[0]?.scrubbed).toEqual({
      about: tombstone,
      email: '[erased]',
      other: 'tom@example.com',
      note: '[erased] called [erased] about Alice',
    });
  });
});
