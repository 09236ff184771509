import Sentiment from 'sentiment';
import { FRENCH_LABELS, FRENCH_NEGATORS } from './lexicon-fr.ts';

export interface SentimentResult {
  /** -1 (very low) to 1 (very high). */
  valence: number;
  /** 0 (calm) to 1 (intense). */
  arousal: number;
  label: 'negative' | 'neutral' | 'positive';
}

const analyser = new Sentiment();
analyser.registerLanguage('fr', {
  labels: FRENCH_LABELS,
  scoringStrategy: {
    // Looks two tokens back so "ne suis pas content" and "pas très content" both turn.
    apply: (tokens, cursor, score) => {
      const before = tokens.slice(Math.max(0, cursor - 2), cursor);
      return before.some((t) => FRENCH_NEGATORS.has(t)) ? -score : score;
    },
  },
});

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number) => Math.round(x * 1000) / 1000;
/** Below this valence a message reads as low, above its opposite as high. */
const LABEL_THRESHOLD = 0.1;

/**
 * Valence, arousal and a label from the AFINN lexicon (English) and Luna's French one:
 * the language whose lexicon recognises more words wins, so no detector is needed.
 * Deterministic and offline.
 */
export function analyseSentiment(text: string): SentimentResult {
  const en = analyser.analyze(text);
  const fr = analyser.analyze(text, { language: 'fr' });
  const best = fr.calculation.length > en.calculation.length ? fr : en;
  const tokens = Math.max(1, best.tokens.length);
  // Scores run -5..5 per word; a few strong words in a short message should reach the ends.
  const valence = clamp(best.score / Math.max(5, Math.sqrt(tokens) * 3), -1, 1);
  const intensity = best.calculation.reduce(
    (sum, entry) => sum + Math.abs(Object.values(entry)[0] ?? 0),
    0,
  );
  const exclamations = (text.match(/!/g) ?? []).length;
  const arousal = clamp(intensity / (tokens * 2) + exclamations * 0.15, 0, 1);
  const label =
    valence <= -LABEL_THRESHOLD ? 'negative' : valence >= LABEL_THRESHOLD ? 'positive' : 'neutral';
  return { valence: round(valence), arousal: round(arousal), label };
}
