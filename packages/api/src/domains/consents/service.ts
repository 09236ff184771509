import type { ConsentPurpose, Database, Kysely } from '@phoenix/db';
import { invalid, notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { ConsentHistoryPage, ConsentStates, SetConsentInput } from './schemas.ts';
import { CONSENT_PURPOSES, CONSENT_TEXTS } from './texts.ts';

/** The latest answer per purpose; a purpose never answered is not granted. */
export async function consentStates(db: Kysely<Database>, userId: string): Promise<ConsentStates> {
  const latest = await db
    .selectFrom('consentRecords')
    .distinctOn('purpose')
    .select(['purpose', 'granted', 'textVersion', 'createdAt'])
    .where('userId', '=', userId)
    .orderBy('purpose')
    .orderBy('id', 'desc')
    .execute();
  return {
    consents: CONSENT_PURPOSES.map((purpose) => {
      const row = latest.find((r) => r.purpose === purpose);
      return {
        purpose,
        granted: row?.granted ?? false,
        textVersion: row?.textVersion ?? null,
        updatedAt: row?.createdAt ?? null,
        currentText: CONSENT_TEXTS[purpose].text,
        currentVersion: CONSENT_TEXTS[purpose].version,
      };
    }),
  };
}

/** Records an answer to the current text of a purpose (a stale version is refused). */
export async function setConsent(
  db: Kysely<Database>,
  who: { userId: string; actor: 'user' | 'admin'; ip: string | null },
  input: SetConsentInput,
): Promise<ConsentStates> {
  const current = CONSENT_TEXTS[input.purpose].version;
  if (input.textVersion !== current) {
    throw invalid(`The consent text changed: the current version is ${current}`, {
      reason: 'CONSENT_TEXT_OUTDATED',
      field: 'textVersion',
    });
  }
  await db
    .insertInto('consentRecords')
    .values({
      userId: who.userId,
      purpose: input.purpose,
      granted: input.granted,
      textVersion: input.textVersion,
      actor: who.actor,
      ip: who.ip,
    })
    .execute();
  return consentStates(db, who.userId);
}

/** Whether the user has said yes to `purpose` (and not withdrawn since). */
export async function hasConsent(
  db: Kysely<Database>,
  userId: string,
  purpose: ConsentPurpose,
): Promise<boolean> {
  const row = await db
    .selectFrom('consentRecords')
    .select('granted')
    .where('userId', '=', userId)
    .where('purpose', '=', purpose)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.granted ?? false;
}

export function consentHistory(
  db: Kysely<Database>,
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<ConsentHistoryPage> {
  const query = db
    .selectFrom('consentRecords')
    .select(['id', 'purpose', 'granted', 'textVersion', 'actor', 'createdAt'])
    .where('userId', '=', userId);
  const keyset: Keyset = { scope: 'consents', keys: [key.int('id')], order: 'desc' };
  return paginate(query, keyset, page);
}

/** An admin's view of a user's consents. */
export async function consentStatesOf(
  db: Kysely<Database>,
  userId: string,
): Promise<ConsentStates> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('User', { field: 'userId' });
  return consentStates(db, userId);
}
