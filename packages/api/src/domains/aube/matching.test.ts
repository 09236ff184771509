import { describe, expect, it } from 'vitest';
import { CAREERS } from './catalog/careers.ts';
import { matchCareers } from './matching.ts';
import { type Career, type CareerMatch, careerMatchSchema, type DimensionScores } from './model.ts';

const BALANCED: DimensionScores = { EI: 50, SN: 50, TF: 50, JP: 50 };

function career(id: string, profile: DimensionScores, aiResilience = 50): Career {
  return {
    id,
    title: { en: id, fr: id },
    description: { en: `${id}.`, fr: `${id}.` },
    skills: ['a', 'b', 'c'],
    profile,
    aiResilience,
    aiResilienceRationale: 'test fixture',
    growthOutlook: 'stable',
  };
}

function isOrdered(matches: CareerMatch[]): boolean {
  return matches.every((m, i) => {
    const next = matches[i + 1];
    if (!next) return true;
    if (m.matchScore !== next.matchScore) return m.matchScore > next.matchScore;
    if (m.aiResilience !== next.aiResilience) return m.aiResilience > next.aiResilience;
    return m.career.id < next.career.id;
  });
}

describe('matchCareers', () => {
  it('ranks a career whose profile equals the scores first, at 100', () => {
    const scores = { EI: 100, SN: 0, TF: 100, JP: 100 };
    const exact = career('exact-fit', scores, 0);
    const [first, second] = matchCareers(scores, { limit: 3, careers: [...CAREERS, exact] });
    expect(first).toEqual({ career: exact, matchScore: 100, aiResilience: 0 });
    expect(second?.matchScore).toBeLessThan(100);
  });

  it('puts each catalog career on top for its own profile', () => {
    for (const target of CAREERS) {
      const matches = matchCareers(target.profile, { limit: CAREERS.length });
      expect(matches[0]?.matchScore, target.id).toBe(100);
      const perfect = matches.filter((m) => m.matchScore === 100).map((m) => m.career.id);
      expect(perfect, target.id).toContain(target.id);
    }
  });

  it('scores 100 minus the mean absolute distance, to one decimal', () => {
    const careers = [
      career('far', { EI: 0, SN: 100, TF: 50, JP: 50 }),
      career('opposite', { EI: 100, SN: 100, TF: 100, JP: 100 }),
      career('odd', { EI: 51, SN: 50, TF: 50, JP: 50 }),
    ];
    const byId = Object.fromEntries(
      matchCareers(BALANCED, { limit: 3, careers }).map((m) => [m.career.id, m.matchScore]),
    );
    expect(byId).toEqual({ far: 75, opposite: 50, odd: 99.8 });
    const zero = { EI: 0, SN: 0, TF: 0, JP: 0 };
    expect(matchCareers(zero, { limit: 1, careers: careers.slice(1, 2) })[0]?.matchScore).toBe(0);
  });

  it('respects the limit and returns schema-valid matches', () => {
    expect(matchCareers(BALANCED, { limit: 5 })).toHaveLength(5);
    expect(matchCareers(BALANCED, { limit: 1 })).toHaveLength(1);
    expect(matchCareers(BALANCED, { limit: 10_000 })).toHaveLength(CAREERS.length);
    expect(matchCareers(BALANCED, { limit: 3, careers: [] })).toEqual([]);
    for (const match of matchCareers(BALANCED, { limit: 10 })) careerMatchSchema.parse(match);
  });

  it('orders by matchScore, then AI resilience, then id', () => {
    expect(isOrdered(matchCareers(BALANCED, { limit: CAREERS.length }))).toBe(true);
    expect(isOrdered(matchCareers({ EI: 20, SN: 80, TF: 35, JP: 60 }, { limit: 100 }))).toBe(true);
    const profile = { EI: 60, SN: 40, TF: 60, JP: 40 };
    const careers = [
      career('b-fragile', profile, 10),
      career('c-sturdy', profile, 90),
      career('a-fragile', profile, 10),
    ];
    const ids = matchCareers(profile, { limit: 3, careers }).map((m) => m.career.id);
    expect(ids).toEqual(['c-sturdy', 'a-fragile', 'b-fragile']);
  });

  it('is deterministic whatever the order of the careers given', () => {
    const scores = { EI: 42, SN: 61, TF: 48, JP: 70 };
    const forward = matchCareers(scores, { limit: 20 });
    const backward = matchCareers(scores, { limit: 20, careers: [...CAREERS].reverse() });
    expect(backward).toEqual(forward);
    expect(matchCareers(scores, { limit: 20 })).toEqual(forward);
  });

  it('refuses a bad limit or out-of-range scores, naming the field', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => matchCareers(BALANCED, { limit }), String(limit)).toThrow(
        expect.objectContaining({ reason: 'INVALID_LIMIT', field: 'limit' }),
      );
    }
    for (const value of [-1, 100.5, Number.NaN]) {
      expect(() => matchCareers({ ...BALANCED, TF: value }, { limit: 3 })).toThrow(
        expect.objectContaining({ reason: 'INVALID_SCORES', field: 'scores.TF' }),
      );
    }
  });
});
