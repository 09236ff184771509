import {
  type ClarityBand,
  DIMENSIONS,
  type DiagnosticResult,
  type Dimension,
  type DimensionClarity,
  type PersonalityType,
} from './model.ts';
import { assertCompleteAnswers } from './validate-answers.ts';

/** The Likert midpoint: "neither agree nor disagree" says nothing about either pole. */
const NEUTRAL = 3;
/** Largest possible lean of one answer (a 1 or a 5). */
const MAX_LEAN = 2;

interface Tally {
  /** Sum of signed leans, positive toward the first pole. */
  lean: number;
  /** Sum of |lean|: how much the answers said at all, in either direction. */
  magnitude: number;
  items: number;
}

/**
 * Scores one complete answer set (see validate-answers.ts for what is refused).
 *
 * Each answer leans -2..+2 toward the first pole (E/S/T/J): `answer - 3` for a `first`
 * item and `3 - answer` for a `second` item. Per dimension, with n items and summed lean L:
 *
 * - score      = 50 + 50 * L / (2n)   0..100 toward the first pole, 50 balanced, 1 decimal
 * - clarity    = |L| / (2n)           0..1, how far the score sits from 50
 * - consistency = |L| / sum(|lean|)   0..1, 1 when every non-neutral answer leans the same
 *                                     way, 0 when they cancel out (or all are neutral)
 * - letter     = first pole if L > 0, else second pole. A tie (L = 0, score exactly 50)
 *                goes to the second pole (I/N/F/P): MBTI-style scoring does the same, and
 *                clarity 0 / band `balanced` tells the reader the letter is a coin toss.
 *
 * confidence = mean clarity over the four dimensions (0..1, 3 decimals). Clarity already
 * falls when answers contradict each other, so consistency is reported, not folded in a
 * second time; all-neutral answers therefore give confidence 0, and an answer set at the
 * extreme of one pole on every item gives 1.
 */
export function scoreDiagnostic(
  answers: Readonly<Record<string, number>>,
  version: string,
): DiagnosticResult {
  const questions = assertCompleteAnswers(answers, version);
  const tallies = emptyTallies();
  for (const question of questions) {
    // Present: assertCompleteAnswers guarantees one integer 1..5 per question.
    const answer = answers[question.id] ?? NEUTRAL;
    const lean = question.direction === 'first' ? answer - NEUTRAL : NEUTRAL - answer;
    const tally = tallies[question.dimension];
    tally.lean += lean;
    tally.magnitude += Math.abs(lean);
    tally.items += 1;
  }

  const scores = mapDimensions((d) => round(50 + (50 * tallies[d].lean) / maxLean(tallies[d]), 1));
  const dimensionClarity = mapDimensions((d) => clarityOf(tallies[d]));
  const rawClarities = DIMENSIONS.map((d) => Math.abs(tallies[d].lean) / maxLean(tallies[d]));
  const confidence = round(rawClarities.reduce((sum, c) => sum + c, 0) / DIMENSIONS.length, 3);

  return {
    catalogVersion: version,
    scores,
    type: personalityType(tallies),
    confidence,
    dimensionClarity,
  };
}

function emptyTallies(): Record<Dimension, Tally> {
  return mapDimensions(() => ({ lean: 0, magnitude: 0, items: 0 }));
}

function maxLean(tally: Tally): number {
  // Every catalog has items in every dimension (catalog tests guard it); the max keeps a
  // future malformed catalog from dividing by zero.
  return Math.max(1, tally.items * MAX_LEAN);
}

function clarityOf(tally: Tally): DimensionClarity {
  const clarity = Math.abs(tally.lean) / maxLean(tally);
  const consistency = tally.magnitude === 0 ? 0 : Math.abs(tally.lean) / tally.magnitude;
  return { clarity: round(clarity, 3), band: bandOf(clarity), consistency: round(consistency, 3) };
}

/** Quartiles of clarity; `balanced` is reserved for an exact tie. */
function bandOf(clarity: number): ClarityBand {
  if (clarity === 0) return 'balanced';
  if (clarity < 0.25) return 'slight';
  if (clarity < 0.5) return 'moderate';
  if (clarity < 0.75) return 'clear';
  return 'very_clear';
}

function personalityType(tallies: Record<Dimension, Tally>): PersonalityType {
  // Decided on the exact integer lean rather than the rounded score, so the letter
  // follows the answers themselves whatever the display rounding does.
  const pole = <F extends string, S extends string>(d: Dimension, first: F, second: S): F | S =>
    tallies[d].lean > 0 ? first : second;
  return `${pole('EI', 'E', 'I')}${pole('SN', 'S', 'N')}${pole('TF', 'T', 'F')}${pole('JP', 'J', 'P')}`;
}

function mapDimensions<T>(value: (dimension: Dimension) => T): Record<Dimension, T> {
  return { EI: value('EI'), SN: value('SN'), TF: value('TF'), JP: value('JP') };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
