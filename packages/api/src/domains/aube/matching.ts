import { invalid } from '@phoenix/errors';
import { CAREERS } from './catalog/careers.ts';
import { type Career, type CareerMatch, DIMENSIONS, type DimensionScores } from './model.ts';

export interface MatchOptions {
  /** How many matches to return, at most; a positive integer. */
  limit: number;
  /** Careers to rank; the built-in catalog when omitted. */
  careers?: readonly Career[];
}

/**
 * Ranks careers by how close their profile is to the user's scores.
 *
 * matchScore = 100 - mean over the four dimensions of |score - profile| (1 decimal).
 * Scores and profiles share one 0..100 scale, so the result is 0..100 without further
 * scaling, and it reads plainly: "on average this career sits N points from you".
 * Mean absolute distance is preferred to Euclidean distance, which lets one far-off
 * dimension dominate, and to cosine similarity on vectors centred at 50, which is
 * undefined for a perfectly balanced user and ignores how strongly someone leans.
 * Dimensions weigh the same: no evidence says one predicts job fit better than another.
 *
 * Order: matchScore desc, then aiResilience desc (among equal fits, prefer the job more
 * likely to last), then id asc so equal careers always come out in the same order.
 * Sorting uses the rounded matchScore the caller sees, so visible ties follow the rule.
 */
export function matchCareers(scores: DimensionScores, options: MatchOptions): CareerMatch[] {
  assertScores(scores);
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw invalid('limit must be a positive whole number', {
      reason: 'INVALID_LIMIT',
      field: 'limit',
    });
  }
  const careers = options.careers ?? CAREERS;
  return careers
    .map((career) => ({
      career,
      matchScore: matchScore(scores, career.profile),
      aiResilience: career.aiResilience,
    }))
    .sort(
      (a, b) =>
        b.matchScore - a.matchScore ||
        b.aiResilience - a.aiResilience ||
        compareIds(a.career.id, b.career.id),
    )
    .slice(0, options.limit);
}

function matchScore(scores: DimensionScores, profile: DimensionScores): number {
  const distance = DIMENSIONS.reduce((sum, d) => sum + Math.abs(scores[d] - profile[d]), 0);
  return Math.round((100 - distance / DIMENSIONS.length) * 10) / 10;
}

// Scores may come back from storage rather than straight from scoreDiagnostic; a NaN
// would otherwise sort unpredictably instead of failing.
function assertScores(scores: DimensionScores): void {
  for (const d of DIMENSIONS) {
    const value = scores[d];
    if (!Number.isFinite(value) || value < 0 || value > 100) {
      throw invalid(`scores.${d} must be a number from 0 to 100`, {
        reason: 'INVALID_SCORES',
        field: `scores.${d}`,
      });
    }
  }
}

/** Code-unit order, independent of the process locale (unlike localeCompare). */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
