import { describe, expect, it } from 'vitest';
import { CAREERS } from './catalog/careers.ts';
import {
  QUESTION_CATALOG_VERSION,
  QUESTION_CATALOGS,
  QUESTIONS,
  questionsFor,
} from './catalog/questions.ts';
import { matchCareers } from './matching.ts';
import { careerSchema, DIMENSIONS, type DimensionScores, questionSchema } from './model.ts';

describe('question catalog', () => {
  it('serves the current version and nothing for unknown ones', () => {
    expect(QUESTION_CATALOG_VERSION).toBe('2026-11-v1');
    expect(questionsFor(QUESTION_CATALOG_VERSION)).toBe(QUESTIONS);
    expect(questionsFor('2020-01-v0')).toBeUndefined();
    expect(questionsFor('constructor')).toBeUndefined();
  });

  for (const [version, questions] of Object.entries(QUESTION_CATALOGS)) {
    describe(version, () => {
      it('has at least 32 well-formed items with unique, sequential ids', () => {
        expect(questions.length).toBeGreaterThanOrEqual(32);
        for (const question of questions) questionSchema.parse(question);
        const ids = questions.map((q) => q.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(ids.map((_, i) => `q${String(i + 1).padStart(2, '0')}`));
      });

      it('has 8+ items per dimension with as many first- as second-pole items', () => {
        for (const dimension of DIMENSIONS) {
          const items = questions.filter((q) => q.dimension === dimension);
          expect(items.length, dimension).toBeGreaterThanOrEqual(8);
          const first = items.filter((q) => q.direction === 'first').length;
          expect(first * 2, dimension).toBe(items.length);
        }
      });

      it('has distinct, non-empty English and French wording for every item', () => {
        for (const { id, text } of questions) {
          expect(text.en.trim(), id).not.toBe('');
          expect(text.fr.trim(), id).not.toBe('');
          expect(text.fr, id).not.toBe(text.en);
        }
        for (const language of ['en', 'fr'] as const) {
          const texts = questions.map((q) => q.text[language]);
          expect(new Set(texts).size, language).toBe(texts.length);
        }
      });
    });
  }
});

describe('career catalog', () => {
  it('has at least 60 well-formed careers with unique ids and titles', () => {
    expect(CAREERS.length).toBeGreaterThanOrEqual(60);
    for (const career of CAREERS) careerSchema.parse(career);
    for (const key of ['id', 'en', 'fr'] as const) {
      const values = CAREERS.map((c) => (key === 'id' ? c.id : c.title[key]));
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it('keeps profiles, resilience and skills in range', () => {
    for (const career of CAREERS) {
      for (const d of DIMENSIONS) {
        expect(career.profile[d], `${career.id}.${d}`).toBeGreaterThanOrEqual(0);
        expect(career.profile[d], `${career.id}.${d}`).toBeLessThanOrEqual(100);
      }
      expect(career.aiResilience).toBeGreaterThanOrEqual(0);
      expect(career.aiResilience).toBeLessThanOrEqual(100);
      expect(career.skills.length).toBeGreaterThanOrEqual(3);
      expect(career.skills.length).toBeLessThanOrEqual(6);
      expect(new Set(career.skills).size, career.id).toBe(career.skills.length);
      expect(career.description.fr, career.id).not.toBe(career.description.en);
    }
  });

  it('spans the range of AI resilience and every growth outlook', () => {
    const resilience = CAREERS.map((c) => c.aiResilience);
    expect(Math.min(...resilience)).toBeLessThanOrEqual(20);
    expect(Math.max(...resilience)).toBeGreaterThanOrEqual(90);
    const outlooks = new Set(CAREERS.map((c) => c.growthOutlook));
    expect([...outlooks].sort()).toEqual(['booming', 'declining', 'growing', 'stable']);
  });

  it('offers a reasonable fit to every one of the 16 types', () => {
    // Each type's moderate prototype (25 or 75 on each dimension) should find a career
    // within 20 points on average; a hole here means the catalog leaves a type stranded.
    for (let corner = 0; corner < 16; corner++) {
      const scores = Object.fromEntries(
        DIMENSIONS.map((d, i) => [d, corner & (1 << i) ? 75 : 25]),
      ) as DimensionScores;
      const [best] = matchCareers(scores, { limit: 1 });
      expect(best?.matchScore, JSON.stringify(scores)).toBeGreaterThanOrEqual(80);
    }
  });
});
