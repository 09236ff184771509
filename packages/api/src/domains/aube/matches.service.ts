import type { Database, Kysely } from '@phoenix/db';
import { requireLatestDiagnostic } from './diagnostics.service.ts';
import { localize } from './locale.ts';
import { matchCareers } from './matching.ts';
import type { CareerMatch } from './model.ts';
import type { AubeLocale, LocalizedMatch, Matches } from './schemas.ts';

export function localizeMatches(
  matches: readonly CareerMatch[],
  locale: AubeLocale,
): LocalizedMatch[] {
  return matches.map(
    ({ career, matchScore, aiResilience }, index): LocalizedMatch => ({
      rank: index + 1,
      careerId: career.id,
      title: localize(career.title, locale),
      description: localize(career.description, locale),
      skills: [...career.skills],
      matchScore,
      aiResilience,
      aiResilienceRationale: career.aiResilienceRationale,
      growthOutlook: career.growthOutlook,
    }),
  );
}

/** The top `limit` careers for the user's latest diagnostic; NOT_FOUND `NO_DIAGNOSTIC` before one. */
export async function matchesForUser(
  db: Kysely<Database>,
  userId: string,
  options: { limit: number; locale: AubeLocale },
): Promise<Matches> {
  const diagnostic = await requireLatestDiagnostic(db, userId);
  const matches = matchCareers(diagnostic.scores, { limit: options.limit });
  return {
    diagnosticId: diagnostic.id,
    type: diagnostic.type,
    locale: options.locale,
    items: localizeMatches(matches, options.locale),
  };
}
