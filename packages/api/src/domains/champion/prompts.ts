import { z } from 'zod';
import { patternKind } from './schemas.ts';

/**
 * What the champion domain asks models, and the structure each answer must have. Each
 * prompt's first line names its task for the offline provider (see the gateway's
 * `offline-tasks.ts`), which then answers deterministically with no keys.
 */

const speaker = z.enum(['champion', 'prospect']);

export const DIARIZE = {
  task: 'diarize',
  system: [
    'You split a sales-call transcript into turns and say who speaks each one.',
    'The "champion" is the salesperson; the "prospect" is the potential customer.',
    'Keep the words as they are. Answer with JSON only:',
    '{"turns": [{"speaker": "champion" | "prospect", "text": string}]}',
  ].join('\n'),
  schema: z.object({
    turns: z
      .array(z.object({ speaker, text: z.string().trim().min(1).max(20_000) }))
      .min(1)
      .max(5_000)
      .refine((turns) => turns.some((t) => t.speaker === 'champion'), {
        message: 'no turn is the champion',
      }),
  }),
};

const quotes = z.array(z.string().trim().min(1).max(2_000)).max(10);

export const EXTRACT = {
  task: 'extract-patterns',
  system: [
    "You analyse a top salesperson's call (the champion) to teach other sellers.",
    'From the turns, extract the selling patterns: the opening, discovery questions,',
    'objection handling (the objection and the answer), closing techniques, and the tone.',
    'Each pattern has a one-sentence summary and quotes copied exactly from the turns.',
    'Answer with JSON only:',
    '{"patterns": [{"kind": "opening" | "discovery_question" | "objection_handling" |',
    ' "closing_technique" | "tone", "summary": string, "objection"?: string,',
    ' "answer"?: string, "quotes": [string]}]}',
  ].join('\n'),
  schema: z.object({
    patterns: z
      .array(
        z
          .object({
            kind: patternKind,
            summary: z.string().trim().min(1).max(2_000),
            objection: z.string().trim().min(1).max(4_000).nullish(),
            answer: z.string().trim().min(1).max(4_000).nullish(),
            quotes: quotes.default([]),
          })
          .refine((p) => p.kind !== 'objection_handling' || (p.objection && p.answer), {
            message: 'objection handling needs the objection and the answer',
          }),
      )
      .min(1)
      .max(100),
  }),
};

export const SCENARIOS = {
  task: 'sales-scenarios',
  system: [
    "You write role-play scenarios for sellers practising against the champion's patterns.",
    'Write three: one easy, one medium, one hard. Each has a title, the prospect persona,',
    'the context of the call, and the objections the prospect will raise.',
    'Answer with JSON only:',
    '{"scenarios": [{"title": string, "difficulty": "easy" | "medium" | "hard",',
    ' "persona": string, "context": string, "objections": [string]}]}',
  ].join('\n'),
  schema: z.object({
    scenarios: z
      .array(
        z.object({
          title: z.string().trim().min(1).max(300),
          difficulty: z.enum(['easy', 'medium', 'hard']),
          persona: z.string().trim().min(1).max(2_000),
          context: z.string().trim().min(1).max(4_000),
          objections: z.array(z.string().trim().min(1).max(1_000)).max(10),
        }),
      )
      .min(1)
      .max(3),
  }),
};

export const SCORE = {
  task: 'score-reply',
  system: [
    "You coach a seller in a role-play. Score the seller's last message from 0 to 100",
    "against the champion's patterns (how closely it applies them to what the prospect",
    'just said), and give one or two sentences of feedback. Answer with JSON only:',
    '{"score": integer 0-100, "feedback": string, "patternKinds": [string]}',
  ].join('\n'),
  schema: z.object({
    score: z.coerce.number().min(0).max(100).transform(Math.round),
    feedback: z.string().trim().min(1).max(2_000),
    patternKinds: z.array(z.string().max(64)).max(10).default([]),
  }),
};

/** The prospect's system prompt: in character, never scoring, never breaking the fourth wall. */
export function rolePlaySystem(scenario: {
  title: string;
  persona: string;
  context: string;
  objections: readonly string[];
}): string {
  return [
    '[task:role-play]',
    'You are the prospect in a sales role-play. Stay in character; answer as the prospect',
    'would, in one to three sentences. Raise your objections one at a time when they fit.',
    `Persona: ${scenario.persona}`,
    `Context: ${scenario.context}`,
    `Scenario: ${JSON.stringify({ title: scenario.title, persona: scenario.persona, objections: scenario.objections })}`,
  ].join('\n');
}
