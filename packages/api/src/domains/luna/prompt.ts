import type { completeChat } from '../gateway/index.ts';

export type Register = 'supportive' | 'encouraging';
export type ChatMessage = Parameters<typeof completeChat>[2]['messages'][number];

/** How many low messages in a row switch the coach to its supportive register. */
export const LOW_STREAK = 3;

/** Supportive after `LOW_STREAK` negative user messages in a row (newest first). */
export function registerFor(recentLabels: readonly string[]): Register {
  const streak = recentLabels.slice(0, LOW_STREAK);
  return streak.length === LOW_STREAK && streak.every((l) => l === 'negative')
    ? 'supportive'
    : 'encouraging';
}

export interface PromptFacts {
  register: Register;
  /** Average valence of the user's messages over the last 7 days, null without any. */
  moodWeek: number | null;
  /** Luna's latest summary of the person's long-term narrative. */
  story: string | null;
  /** The conversation so far, oldest first, ending with the message being answered. */
  history: readonly { role: 'user' | 'coach'; content: string }[];
  tokenBudget: number;
}

// About four characters a token, as the gateway's own estimate; a prompt over budget
// drops its oldest turns first, never the instructions or the message being answered.
const tokensOf = (text: string) => Math.ceil(text.length / 4);

const REGISTERS: Record<Register, string> = {
  supportive:
    'Register: supportive. The person has been low for several messages: acknowledge how they feel, ' +
    'be gentle and brief, suggest at most one very small step, no pressure.',
  encouraging:
    'Register: encouraging. Celebrate progress, ask one question that moves them forward.',
};

function moodLine(moodWeek: number | null): string {
  if (moodWeek === null) return 'Mood over the last 7 days: not known yet.';
  const trend = moodWeek <= -0.1 ? 'low' : moodWeek >= 0.1 ? 'good' : 'mixed';
  return `Mood over the last 7 days: ${trend} (average valence ${moodWeek.toFixed(2)}).`;
}

/** The coach's prompt, built from Luna's projections, within the token budget. */
export function buildPrompt(facts: PromptFacts): ChatMessage[] {
  const system = [
    'You are Luna, the coach of the Phoenix family. Answer in the language the person writes in.',
    REGISTERS[facts.register],
    moodLine(facts.moodWeek),
    ...(facts.story ? [`Their story so far: ${facts.story.slice(0, 2_000)}`] : []),
  ].join('\n');
  let budget = facts.tokenBudget - tokensOf(system);
  const turns: ChatMessage[] = [];
  for (const [i, turn] of [...facts.history].reverse().entries()) {
    const cost = tokensOf(turn.content);
    if (i > 0 && cost > budget) break;
    // The message being answered always goes in, cut to what the budget leaves.
    const content = i === 0 ? turn.content.slice(0, Math.max(1, budget) * 4) : turn.content;
    turns.unshift({ role: turn.role === 'user' ? 'user' : 'assistant', content });
    budget -= cost;
  }
  return [{ role: 'system', content: system }, ...turns];
}

/** What Luna says when no AI can answer: deterministic, kind, and honest about it. */
export function degradedReply(register: Register): string {
  return register === 'supportive'
    ? "I'm here with you. I can't think things through properly right now, but what you're " +
        'feeling matters. Take one slow breath, and come back when you are ready: I will be here.'
    : "I can't give you a full answer right now, but I've kept what you wrote. Keep going with " +
        'the next small step you had in mind, and tell me how it went.';
}
