import { type RawBuilder, sql } from '@phoenix/db';
import type { Subject } from './types.ts';

/**
 * SQL: the jsonb `value` (an event payload, job data) names the subject: their id anywhere
 * in it, or their email as a whole address in one of its string values. Never as part of a
 * longer one: the export of `m@example.com` must not find `tom@example.com`'s rows, nor its
 * erasure delete them (`email_mention_pattern`, `jsonb_mentions`: migration 0021).
 */
export function namesSubject(
  value: RawBuilder<unknown>,
  subject: Pick<Subject, 'userId' | 'email'>,
): RawBuilder<boolean> {
  return sql<boolean>`(position(${subject.userId} in ${value}::text) > 0
    or coalesce(jsonb_mentions(${value}, email_mention_pattern(${subject.email})), false))`;
}

/** SQL: one of the jsonb `value`'s string values holds `word` (a provider's customer id) as a whole word. */
export function mentionsWord(value: RawBuilder<unknown>, word: string): RawBuilder<boolean> {
  return sql<boolean>`coalesce(jsonb_mentions(${value}, mention_pattern(${word})), false)`;
}
