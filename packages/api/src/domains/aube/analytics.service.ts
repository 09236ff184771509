import { type Database, type Kysely, sql } from '@phoenix/db';
import { findCareer } from './catalog/career-index.ts';
import { localize } from './locale.ts';
import type { Analytics, AubeLocale, CareerEventKind } from './schemas.ts';
import { countInt } from './sql.ts';

const TOP_VIEWED = 5;

/** One user's exploration at a glance; each query rides one of the aube indexes. */
export async function userAnalytics(
  db: Kysely<Database>,
  userId: string,
  locale: AubeLocale,
): Promise<Analytics> {
  const [diagnostics, byKind, topViewed, saved, lastEvent] = await Promise.all([
    db
      .selectFrom('aubeDiagnostics')
      .select([countInt.as('count'), sql<Date | null>`max(created_at)`.as('last')])
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('aubeCareerEvents')
      .select(['kind', countInt.as('count')])
      .where('userId', '=', userId)
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('aubeCareerEvents')
      .select(['careerId', countInt.as('views')])
      .where('userId', '=', userId)
      .where('kind', '=', 'viewed')
      .groupBy('careerId')
      .orderBy('views', 'desc')
      .orderBy('careerId', 'asc')
      .limit(TOP_VIEWED)
      .execute(),
    db
      .selectFrom('aubeSavedCareers')
      .select(countInt.as('count'))
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('aubeCareerEvents')
      .select('createdAt')
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);

  const countOf = (kind: CareerEventKind): number =>
    byKind.find((r) => r.kind === kind)?.count ?? 0;
  return {
    diagnosticsTaken: diagnostics.count,
    lastDiagnosticAt: diagnostics.last === null ? null : new Date(diagnostics.last),
    eventsByKind: {
      viewed: countOf('viewed'),
      saved: countOf('saved'),
      dismissed: countOf('dismissed'),
    },
    savedNow: saved.count,
    topViewed: topViewed.map((row) => {
      const career = findCareer(row.careerId);
      return {
        careerId: row.careerId,
        title: career ? localize(career.title, locale) : row.careerId,
        views: row.views,
      };
    }),
    lastExploredAt: lastEvent?.createdAt ?? null,
  };
}
