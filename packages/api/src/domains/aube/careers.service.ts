import type { Database, Kysely } from '@phoenix/db';
import { recordActivity } from '../../platform/activity.ts';
import { findCareer, requireCareer } from './catalog/career-index.ts';
import { localize } from './locale.ts';
import type { AubeLocale, SavedCareer, TrackInput, TrackResult, UnsaveResult } from './schemas.ts';

/**
 * Records one exploration event and keeps the saved list in step, in one transaction:
 * - `viewed`    logs only;
 * - `saved`     adds the career to the saved list (saving again keeps the first savedAt);
 * - `dismissed` removes it from the saved list.
 * `unsaveCareer` also removes it, without claiming the user dismissed the career.
 */
export async function trackCareerEvent(
  db: Kysely<Database>,
  userId: string,
  input: TrackInput,
): Promise<TrackResult> {
  const career = requireCareer(input.careerId);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('aubeCareerEvents')
      .values({ userId, careerId: career.id, kind: input.kind })
      .execute();
    if (input.kind === 'saved') {
      await trx
        .insertInto('aubeSavedCareers')
        .values({ userId, careerId: career.id })
        .onConflict((oc) => oc.columns(['userId', 'careerId']).doNothing())
        .execute();
    } else if (input.kind === 'dismissed') {
      await trx
        .deleteFrom('aubeSavedCareers')
        .where('userId', '=', userId)
        .where('careerId', '=', career.id)
        .execute();
    }
    await recordActivity(trx, {
      userId,
      action: `aube.career.${input.kind}`,
      resourceId: career.id,
    });
    return { careerId: career.id, kind: input.kind, saved: await isSaved(trx, userId, career.id) };
  });
}

async function isSaved(db: Kysely<Database>, userId: string, careerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('aubeSavedCareers')
    .select('careerId')
    .where('userId', '=', userId)
    .where('careerId', '=', careerId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function unsaveCareer(
  db: Kysely<Database>,
  userId: string,
  careerId: string,
): Promise<UnsaveResult> {
  const career = requireCareer(careerId);
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('aubeSavedCareers')
      .where('userId', '=', userId)
      .where('careerId', '=', career.id)
      .executeTakeFirst();
    const didRemove = removed.numDeletedRows > 0n;
    if (didRemove) {
      await recordActivity(trx, { userId, action: 'aube.career.unsaved', resourceId: career.id });
    }
    return { careerId: career.id, removed: didRemove };
  });
}

/**
 * The saved list, newest first. Bounded by the catalog size, so not paginated; a career
 * since dropped from the catalog is left out rather than shown without a title.
 */
export async function listSavedCareers(
  db: Kysely<Database>,
  userId: string,
  locale: AubeLocale,
): Promise<SavedCareer[]> {
  const rows = await db
    .selectFrom('aubeSavedCareers')
    .select(['careerId', 'savedAt'])
    .where('userId', '=', userId)
    .orderBy('savedAt', 'desc')
    .orderBy('careerId', 'asc')
    .execute();
  return rows.flatMap((row) => {
    const career = findCareer(row.careerId);
    if (!career) return [];
    return [
      {
        careerId: career.id,
        title: localize(career.title, locale),
        growthOutlook: career.growthOutlook,
        aiResilience: career.aiResilience,
        savedAt: row.savedAt,
      },
    ];
  });
}
