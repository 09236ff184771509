import { describe, expect, it } from 'vitest';
import { buildPrompt, registerFor } from './prompt.ts';
import { analyseSentiment } from './sentiment.ts';

describe('luna sentiment', () => {
  it('reads English with the AFINN lexicon', () => {
    expect(analyseSentiment('I feel terrible and hopeless today')).toMatchObject({
      label: 'negative',
    });
    const happy = analyseSentiment('This is great, I am so happy!');
    expect(happy.label).toBe('positive');
    expect(happy.valence).toBeGreaterThan(0.5);
    expect(analyseSentiment('The meeting is at noon')).toEqual({
      valence: 0,
      arousal: 0,
      label: 'neutral',
    });
  });

  it('reads French, negation included', () => {
    expect(analyseSentiment('Je suis triste et épuisée').label).toBe('negative');
    expect(analyseSentiment('Je suis très heureuse, quelle joie !').label).toBe('positive');
    expect(analyseSentiment('Je ne suis pas content').label).toBe('negative');
  });

  it('rates exclamations and strong words as more intense', () => {
    const calm = analyseSentiment('I am happy');
    const loud = analyseSentiment('I am happy!!! This is amazing!');
    expect(loud.arousal).toBeGreaterThan(calm.arousal);
  });
});

describe('luna prompt', () => {
  it('turns supportive after three low messages in a row only', () => {
    expect(registerFor(['negative', 'negative', 'negative', 'positive'])).toBe('supportive');
    expect(registerFor(['negative', 'positive', 'negative'])).toBe('encouraging');
    expect(registerFor(['negative', 'negative'])).toBe('encouraging');
  });

  it('keeps within its token budget, dropping the oldest turns first', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('coach' as const),
      content: `turn ${i} ${'word '.repeat(40)}`,
    }));
    const prompt = buildPrompt({
      register: 'encouraging',
      moodWeek: 0.3,
      story: null,
      history,
      tokenBudget: 400,
    });
    const tokens = prompt.reduce((sum, m) => sum + Math.ceil(m.content.length / 4), 0);
    expect(tokens).toBeLessThanOrEqual(400);
    expect(prompt[0]?.role).toBe('system');
    expect(prompt.at(-1)?.content).toContain('turn 39');
    expect(prompt.some((m) => m.content.includes('turn 0 '))).toBe(false);
  });
});
