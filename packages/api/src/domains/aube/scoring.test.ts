import { DomainError } from '@phoenix/errors';
import { describe, expect, it } from 'vitest';
import { QUESTION_CATALOG_VERSION, QUESTIONS } from './catalog/questions.ts';
import {
  DIMENSIONS,
  type Dimension,
  type Direction,
  diagnosticAnswersInputSchema,
  diagnosticResultSchema,
} from './model.ts';
import { scoreDiagnostic } from './scoring.ts';

const VERSION = QUESTION_CATALOG_VERSION;

/** Answers that lean toward `poles` on every item, by `strength` (1 = 4/2, 2 = 5/1). */
function leaning(poles: Record<Dimension, Direction>, strength: 1 | 2): Record<string, number> {
  return Object.fromEntries(
    QUESTIONS.map((q) => [q.id, q.direction === poles[q.dimension] ? 3 + strength : 3 - strength]),
  );
}

function uniform(value: number): Record<string, number> {
  return Object.fromEntries(QUESTIONS.map((q) => [q.id, value]));
}

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const ENTJ = { EI: 'first', SN: 'second', TF: 'first', JP: 'first' } as const;
const ISFP = { EI: 'second', SN: 'first', TF: 'second', JP: 'second' } as const;

describe('scoreDiagnostic', () => {
  it('reads answers all pushing to E, N, T, J as ENTJ with full confidence', () => {
    const result = scoreDiagnostic(leaning(ENTJ, 2), VERSION);
    expect(result).toMatchObject({
      catalogVersion: VERSION,
      type: 'ENTJ',
      scores: { EI: 100, SN: 0, TF: 100, JP: 100 },
      confidence: 1,
    });
    for (const d of DIMENSIONS) {
      expect(result.dimensionClarity[d]).toEqual({
        clarity: 1,
        band: 'very_clear',
        consistency: 1,
      });
    }
    diagnosticResultSchema.parse(result);
  });

  it('reads mild but consistent answers as a moderate-to-clear type', () => {
    const result = scoreDiagnostic(leaning(ISFP, 1), VERSION);
    expect(result.type).toBe('ISFP');
    expect(result.scores).toEqual({ EI: 25, SN: 75, TF: 25, JP: 25 });
    expect(result.confidence).toBe(0.5);
    expect(result.dimensionClarity.SN).toEqual({ clarity: 0.5, band: 'clear', consistency: 1 });
  });

  it('gives 50s, confidence 0 and second-pole letters for all-neutral answers', () => {
    const result = scoreDiagnostic(uniform(3), VERSION);
    expect(result.scores).toEqual({ EI: 50, SN: 50, TF: 50, JP: 50 });
    expect(result.confidence).toBe(0);
    // A tie breaks toward the second pole of every dimension.
    expect(result.type).toBe('INFP');
    expect(result.dimensionClarity.EI).toEqual({ clarity: 0, band: 'balanced', consistency: 0 });
  });

  it('cancels out agreeing with everything (acquiescence) instead of rewarding one pole', () => {
    for (const value of [1, 5]) {
      const result = scoreDiagnostic(uniform(value), VERSION);
      expect(result.scores).toEqual({ EI: 50, SN: 50, TF: 50, JP: 50 });
      expect(result.confidence).toBe(0);
      expect(result.dimensionClarity.TF.consistency).toBe(0);
    }
  });

  it('lets a single non-neutral answer decide a letter, with a slight band', () => {
    const item = QUESTIONS.find((q) => q.dimension === 'EI' && q.direction === 'first');
    if (!item) throw new Error('catalog has no E item');
    const result = scoreDiagnostic({ ...uniform(3), [item.id]: 4 }, VERSION);
    expect(result.type).toBe('ENFP');
    expect(result.scores.EI).toBe(53.1); // 50 + 50 * 1 / 16, one decimal
    expect(result.dimensionClarity.EI).toEqual({ clarity: 0.063, band: 'slight', consistency: 1 });
    expect(result.confidence).toBe(0.016);
  });

  it('reports lower consistency when answers contradict each other', () => {
    const answers = leaning(ENTJ, 2);
    const contrary = QUESTIONS.find((q) => q.dimension === 'JP');
    if (!contrary) throw new Error('catalog has no JP item');
    answers[contrary.id] = 6 - (answers[contrary.id] ?? 3);
    const { dimensionClarity, scores, type } = scoreDiagnostic(answers, VERSION);
    expect(type).toBe('ENTJ');
    expect(scores.JP).toBe(87.5);
    expect(dimensionClarity.JP).toEqual({ clarity: 0.75, band: 'very_clear', consistency: 0.75 });
  });

  it('is deterministic and ignores the order answers arrive in', () => {
    const answers = leaning(ISFP, 1);
    const reversed = Object.fromEntries(Object.entries(answers).reverse());
    expect(scoreDiagnostic(reversed, VERSION)).toEqual(scoreDiagnostic(answers, VERSION));
  });
});

describe('scoreDiagnostic refusals', () => {
  it('refuses another catalog version, naming catalogVersion', () => {
    const error = refusal(() => scoreDiagnostic(uniform(3), '2025-01-v1'));
    expect(error).toMatchObject({
      kind: 'invalid',
      reason: 'CATALOG_VERSION_MISMATCH',
      field: 'catalogVersion',
    });
    expect(error.message).toContain(VERSION);
  });

  it('refuses a missing answer, naming the first unanswered question', () => {
    const { q07: _q07, q21: _q21, ...answers } = uniform(3);
    const error = refusal(() => scoreDiagnostic(answers, VERSION));
    expect(error).toMatchObject({ reason: 'INCOMPLETE_ANSWERS', field: 'answers.q07' });
    expect(error.message).toMatch(/q07.*2 of 32/);
    expect(refusal(() => scoreDiagnostic({}, VERSION))).toMatchObject({
      reason: 'INCOMPLETE_ANSWERS',
      field: 'answers.q01',
    });
  });

  it('refuses an answer to a question the catalog does not have', () => {
    const error = refusal(() => scoreDiagnostic({ ...uniform(3), q99: 3 }, VERSION));
    expect(error).toMatchObject({ reason: 'UNKNOWN_QUESTION', field: 'answers.q99' });
    // JSON.parse makes "__proto__" an own key; it must be refused, not walk the prototype.
    const hostile = JSON.parse('{"__proto__": 3}') as Record<string, number>;
    expect(refusal(() => scoreDiagnostic({ ...uniform(3), ...hostile }, VERSION))).toMatchObject({
      reason: 'UNKNOWN_QUESTION',
    });
  });

  it('refuses values that are not whole numbers from 1 to 5', () => {
    for (const value of [0, 6, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = refusal(() => scoreDiagnostic({ ...uniform(3), q12: value }, VERSION));
      expect(error, String(value)).toMatchObject({
        reason: 'ANSWER_OUT_OF_RANGE',
        field: 'answers.q12',
      });
    }
  });
});

describe('diagnosticAnswersInputSchema', () => {
  it('accepts a complete answer set', () => {
    const input = { catalogVersion: VERSION, answers: uniform(4) };
    expect(diagnosticAnswersInputSchema.parse(input)).toEqual(input);
  });

  it('points at the offending answer', () => {
    const parsed = diagnosticAnswersInputSchema.safeParse({
      catalogVersion: VERSION,
      answers: { q01: 6 },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['answers', 'q01']);
  });

  it('refuses oversized bodies', () => {
    const answers = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`q${i + 1}`, 3]));
    expect(
      diagnosticAnswersInputSchema.safeParse({ catalogVersion: VERSION, answers }).success,
    ).toBe(false);
    const longId = { catalogVersion: VERSION, answers: { ['q'.repeat(100)]: 3 } };
    expect(diagnosticAnswersInputSchema.safeParse(longId).success).toBe(false);
  });
});
