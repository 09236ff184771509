import { type RawBuilder, sql } from '@phoenix/db';
import type { Subject } from './types.ts';

/**
 * SQL: the JSON text `text` (a jsonb column read as text) names the subject: their id
 * anywhere in it, or their email as a whole address. Never as part of a longer one: the
 * export of `m@example.com` must not find `tom@example.com`'s rows, nor its erasure delete
 * them (`email_mention_pattern`, migration 0021).
 */
export function namesSubject(
  text: RawBuilder<unknown>,
  subject: Pick<Subject, 'userId' | 'email'>,
): RawBuilder<boolean> {
  return sql<boolean>`(position(${subject.userId} in ${text}) > 0
    or ${text} ~* email_mention_pattern(${subject.email}))`;
}

/** SQL: the JSON text `text` holds `word` (a provider's customer id, say) as a whole word. */
export function mentionsWord(text: RawBuilder<unknown>, word: string): RawBuilder<boolean> {
  return sql<boolean>`${text} ~* mention_pattern(${word})`;
}
