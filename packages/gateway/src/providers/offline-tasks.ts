import type { ChatMessage } from '../types.ts';

/**
 * Tasks the offline provider answers in kind, so flows that expect structured output
 * (JSON) or a role-play work with no keys. A prompt opts in with a first system line
 * `[task:<name>]` (harmless to a real model) and, for the JSON tasks, JSON as its last
 * user message. The answers are plain heuristics: the same prompt always gets the same
 * answer, good enough to exercise every step of a flow, not to replace a model.
 */
const TASK_LINE = /^\[task:([a-z-]+)\]/m;

type Task = (input: TaskInput) => string;

interface TaskInput {
  system: string;
  messages: readonly ChatMessage[];
  /** The last user message parsed as JSON, or null when it is not JSON. */
  json: Record<string, unknown> | null;
}

export function offlineTaskReply(messages: readonly ChatMessage[]): string | null {
  const system = messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');
  const name = TASK_LINE.exec(system)?.[1];
  const task = name ? TASKS[name] : undefined;
  if (!task) return null;
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return task({ system, messages, json: parseObject(last?.content ?? '') });
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

type Speaker = 'champion' | 'prospect';
interface Turn {
  speaker: Speaker;
  text: string;
}

const CHAMPION_LABEL = /^(champion|seller|sales|rep|agent|account exec|ae|sdr|me)\b/i;
const PROSPECT_LABEL = /^(prospect|client|customer|buyer|lead|caller|them)\b/i;
const LABELLED = /^\s*([\p{L}][\p{L}\p{N} .'-]{0,40}?)\s*:\s+(.+)$/u;

/** Speakers from `Name: text` labels when there are any, else alternating lines. */
function diarize(transcript: string): Turn[] {
  const lines = transcript
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const labelled = lines.map((line) => LABELLED.exec(line));
  const turns: Turn[] = [];
  if (lines.length > 1 && labelled.every((m) => m !== null)) {
    const labels = [...new Set(labelled.map((m) => (m?.[1] ?? '').toLowerCase()))];
    const championLabel =
      labels.find((l) => CHAMPION_LABEL.test(l)) ??
      labels.find((l) => !PROSPECT_LABEL.test(l)) ??
      labels[0];
    for (const m of labelled) {
      const speaker = (m?.[1] ?? '').toLowerCase() === championLabel ? 'champion' : 'prospect';
      turns.push({ speaker, text: (m?.[2] ?? '').trim() });
    }
  } else {
    // No labels: one turn per line, or per sentence for a single paragraph; the seller opens.
    const pieces =
      lines.length > 1 ? lines : (transcript.match(/[^.?!]+[.?!]*/g) ?? []).map((s) => s.trim());
    pieces.filter(Boolean).forEach((text, i) => {
      turns.push({ speaker: i % 2 === 0 ? 'champion' : 'prospect', text });
    });
  }
  // Consecutive lines of one speaker are one turn.
  return turns.reduce<Turn[]>((merged, turn) => {
    const last = merged.at(-1);
    if (last && last.speaker === turn.speaker) last.text = `${last.text} ${turn.text}`;
    else merged.push({ ...turn });
    return merged;
  }, []);
}

function turnsOf(json: Record<string, unknown> | null): Turn[] {
  const raw = Array.isArray(json?.turns) ? json.turns : [];
  return raw.flatMap((t) => {
    const turn = t as Partial<Turn>;
    return (turn.speaker === 'champion' || turn.speaker === 'prospect') &&
      typeof turn.text === 'string'
      ? [{ speaker: turn.speaker, text: turn.text }]
      : [];
  });
}

const sentences = (text: string): string[] =>
  (text.match(/[^.?!]+[.?!]*/g) ?? []).map((s) => s.trim()).filter(Boolean);

const OBJECTION =
  /\b(but|expensive|price|cost|budget|not sure|already|concern|worried|too|can't|cannot|don't need|no time|risk)\b/i;
const CLOSING = /\b(next step|schedule|sign|start|trial|contract|agree|book|send you|kick off)\b/i;

function extractPatterns(turns: Turn[]): unknown[] {
  const champion = turns.filter((t) => t.speaker === 'champion');
  const patterns: unknown[] = [];
  const opening = champion[0];
  if (opening) {
    patterns.push({
      kind: 'opening',
      summary: `Opens by ${
        sentences(opening.text)[0]
          ?.toLowerCase()
          .replace(/[.?!]+$/, '') ?? 'greeting the prospect'
      }`,
      quotes: [sentences(opening.text)[0] ?? opening.text],
    });
  }
  const questions = champion
    .slice(1)
    .flatMap((t) => sentences(t.text).filter((s) => s.endsWith('?')))
    .slice(0, 5);
  for (const question of questions) {
    patterns.push({
      kind: 'discovery_question',
      summary: `Asks an open question to learn the prospect's situation: ${question}`,
      quotes: [question],
    });
  }
  turns.forEach((turn, i) => {
    const answer = turns.slice(i + 1).find((t) => t.speaker === 'champion');
    if (turn.speaker !== 'prospect' || !OBJECTION.test(turn.text) || !answer) return;
    patterns.push({
      kind: 'objection_handling',
      summary: 'Acknowledges the concern, then reframes it around value',
      objection: turn.text,
      answer: answer.text,
      quotes: [sentences(answer.text)[0] ?? answer.text],
    });
  });
  const closing = [...champion].reverse().find((t) => CLOSING.test(t.text)) ?? champion.at(-1);
  if (closing && closing !== opening) {
    patterns.push({
      kind: 'closing_technique',
      summary: 'Proposes a concrete next step with a date',
      quotes: [sentences(closing.text).at(-1) ?? closing.text],
    });
  }
  const words = champion.map((t) => t.text).join(' ');
  const asked = (words.match(/\?/g) ?? []).length;
  const you = (words.match(/\byou(r)?\b/gi) ?? []).length;
  const we = (words.match(/\b(i|we|our)\b/gi) ?? []).length;
  patterns.push({
    kind: 'tone',
    summary: `${you >= we ? 'Customer-centred' : 'Confident'} and ${asked >= 2 ? 'consultative' : 'direct'}: ${asked} questions, speaks of "you" ${you} times and of "I/we" ${we} times`,
    quotes: champion.length > 1 ? [sentences(champion[1]?.text ?? '')[0] ?? ''] : [],
  });
  return patterns;
}

interface PatternLike {
  kind?: string;
  summary?: string;
  objection?: string | null;
  answer?: string | null;
  quotes?: string[];
}

function patternsOf(json: Record<string, unknown> | null): PatternLike[] {
  return Array.isArray(json?.patterns) ? (json.patterns as PatternLike[]) : [];
}

function scenarios(json: Record<string, unknown> | null): string {
  const patterns = patternsOf(json);
  const objections = patterns
    .filter((p) => p.kind === 'objection_handling' && p.objection)
    .map((p) => String(p.objection));
  const pool = objections.length ? objections : ['The price seems high for what we get.'];
  const levels = [
    { difficulty: 'easy', persona: 'A curious operations manager with budget approved', take: 1 },
    { difficulty: 'medium', persona: 'A busy director comparing two vendors', take: 2 },
    { difficulty: 'hard', persona: 'A sceptical CFO who already has a solution', take: 3 },
  ];
  return JSON.stringify({
    scenarios: levels.map((level) => ({
      title: `${level.difficulty[0]?.toUpperCase()}${level.difficulty.slice(1)} call: ${level.persona.toLowerCase()}`,
      difficulty: level.difficulty,
      persona: level.persona,
      context: `First call after an inbound request. The seller should use the champion's ${patterns.length} patterns.`,
      objections: [...pool, 'We already have a tool for this.', 'Now is not a good time.'].slice(
        0,
        level.take,
      ),
    })),
  });
}

function rolePlay(input: TaskInput): string {
  const line = input.system.split('\n').find((l) => l.startsWith('Scenario: '));
  const scenario = parseObject(line?.slice('Scenario: '.length) ?? '') ?? {};
  const objections = Array.isArray(scenario.objections) ? scenario.objections.map(String) : [];
  const sellerTurns = input.messages.filter((m) => m.role === 'user');
  const last = sellerTurns.at(-1)?.content ?? '';
  const n = sellerTurns.length;
  if (CLOSING.test(last) && n > objections.length) {
    return 'That sounds reasonable. Send me the details and let us put the next step in the calendar.';
  }
  if (n === 1) {
    return `Hi. ${typeof scenario.persona === 'string' ? `I'm ${scenario.persona.toLowerCase()}.` : ''} I have a few minutes; what is this about?`.replace(
      /\s+/g,
      ' ',
    );
  }
  const objection = objections[n - 2];
  if (objection) return `I hear you, but... ${objection}`;
  return 'Tell me more about how that would work for a team like ours.';
}

const tokens = (text: string): Set<string> =>
  new Set(
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 3),
  );

function scoreReply(json: Record<string, unknown> | null): string {
  const seller = typeof json?.seller === 'string' ? json.seller : '';
  const prospect = typeof json?.prospect === 'string' ? json.prospect : '';
  const said = tokens(seller);
  let best: { kind: string; overlap: number; quote: string } = { kind: '', overlap: 0, quote: '' };
  for (const p of patternsOf(json)) {
    const source = tokens([p.summary, p.answer, ...(p.quotes ?? [])].filter(Boolean).join(' '));
    const shared = [...said].filter((w) => source.has(w)).length;
    const overlap = source.size ? shared / Math.min(source.size, 12) : 0;
    if (overlap > best.overlap) best = { kind: p.kind ?? '', overlap, quote: p.quotes?.[0] ?? '' };
  }
  const asks = seller.includes('?') ? 10 : 0;
  const addresses = OBJECTION.test(prospect) && [...tokens(prospect)].some((w) => said.has(w));
  const length = Math.min(20, Math.floor(seller.trim().split(/\s+/).filter(Boolean).length * 1.5));
  const score = Math.max(
    0,
    Math.min(100, Math.round(20 + length + asks + (addresses ? 10 : 0) + best.overlap * 40)),
  );
  const feedback = best.kind
    ? `Closest to the champion's ${best.kind.replace(/_/g, ' ')}${best.quote ? ` ("${best.quote}")` : ''}. ${asks ? 'Good: you asked a question.' : 'Try ending with an open question.'}`
    : `No champion pattern recognised. ${asks ? 'Good: you asked a question.' : 'Ask about their situation before pitching.'}`;
  return JSON.stringify({ score, feedback, patternKinds: best.kind ? [best.kind] : [] });
}

const TASKS: Record<string, Task> = {
  diarize: ({ json }) =>
    JSON.stringify({
      turns: diarize(typeof json?.transcript === 'string' ? json.transcript : ''),
    }),
  'extract-patterns': ({ json }) => JSON.stringify({ patterns: extractPatterns(turnsOf(json)) }),
  'sales-scenarios': ({ json }) => scenarios(json),
  'role-play': rolePlay,
  'score-reply': ({ json }) => scoreReply(json),
};
