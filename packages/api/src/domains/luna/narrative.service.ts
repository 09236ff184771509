import { randomUUID } from 'node:crypto';
import type { Database, Kysely } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { completeChat } from '../gateway/index.ts';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import { moodOver } from './mood.ts';
import type { ChatMessage } from './prompt.ts';
import type {
  Chapter,
  Narrative,
  NarrativeVersion,
  NarrativeVersionPage,
  RefreshResult,
} from './schemas.ts';

type Db = Kysely<Database>;

const ROUTE = 'luna.chat';
const MAX_TOKENS = 300;
const CHAPTERS_SHOWN = 50;
const VERSION_COLUMNS = ['version', 'summary', 'covers', 'createdAt'] as const;
const CHAPTER_COLUMNS = ['id', 'title', 'body', 'theme', 'createdAt'] as const;

async function streamHead(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('lunaEnergy')
    .select('position')
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.position ?? 0;
}

export async function latestSummary(db: Db, userId: string): Promise<NarrativeVersion | null> {
  const row = await db
    .selectFrom('lunaNarrativeVersions')
    .select(VERSION_COLUMNS)
    .where('userId', '=', userId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function writeChapter(
  call: LunaCall,
  input: { title: string; body: string; theme?: string | undefined },
): Promise<Chapter> {
  const chapterId = randomUUID();
  await runCallCommand(call, async () => ({
    events: [
      {
        type: 'narrative.chapter_written',
        payload: { chapterId, title: input.title, body: input.body, theme: input.theme ?? null },
      },
    ],
    result: null,
  }));
  return call.deps.db
    .selectFrom('lunaChapters')
    .select(CHAPTER_COLUMNS)
    .where('id', '=', chapterId)
    .executeTakeFirstOrThrow();
}

/** The chapters, the themes they name, the current summary and how far behind it is. */
export async function getNarrative(db: Db, userId: string): Promise<Narrative> {
  const [chapters, summary, head] = await Promise.all([
    db
      .selectFrom('lunaChapters')
      .select(CHAPTER_COLUMNS)
      .where('userId', '=', userId)
      .orderBy('position')
      .limit(CHAPTERS_SHOWN)
      .execute(),
    latestSummary(db, userId),
    streamHead(db, userId),
  ]);
  const themes = [...new Set(chapters.flatMap((c) => (c.theme ? [c.theme] : [])))];
  return { chapters, themes, summary, eventsSinceSummary: head - (summary?.covers ?? 0) };
}

export async function listVersions(
  db: Db,
  userId: string,
  input: { limit: number; cursor?: string | undefined },
): Promise<NarrativeVersionPage> {
  const query = db
    .selectFrom('lunaNarrativeVersions')
    .select(VERSION_COLUMNS)
    .where('userId', '=', userId);
  const keyset: Keyset = { scope: 'luna-narrative', keys: [key.int('version')], order: 'desc' };
  return paginate(query, keyset, input);
}

async function summaryPrompt(call: LunaCall, narrative: Narrative): Promise<ChatMessage[]> {
  const userId = call.payer.userId;
  const [goals, mood] = await Promise.all([
    call.deps.db
      .selectFrom('lunaGoals')
      .select(['title', 'completedAt'])
      .where('userId', '=', userId)
      .orderBy('position', 'desc')
      .limit(20)
      .execute(),
    moodOver(call.deps.db, userId, { days: 30, nowMs: call.nowMs }),
  ]);
  const facts = [
    narrative.summary ? `Story so far: ${narrative.summary.summary}` : 'No story written yet.',
    ...narrative.chapters.map(
      (c) => `Chapter "${c.title}"${c.theme ? ` (${c.theme})` : ''}: ${c.body}`,
    ),
    ...goals.map((g) => `Goal "${g.title}": ${g.completedAt ? 'completed' : 'in progress'}`),
    `Mood over 30 days: ${mood === null ? 'unknown' : mood.toFixed(2)}`,
  ].join('\n');
  return [
    {
      role: 'system' as const,
      content:
        'You are Luna. Write a short narrative summary (at most five sentences) of where this ' +
        'person is going, in the second person, from the facts given.',
    },
    { role: 'user' as const, content: facts.slice(0, 12_000) },
  ];
}

/** The event stream's head as the narrative was read: what the summary covers, and since. */
const streamHeadOf = (narrative: Narrative): number =>
  (narrative.summary?.covers ?? 0) + narrative.eventsSinceSummary;

/**
 * Rewrites the narrative summary through the gateway once enough new events happened
 * since the last one; every version is kept. Without enough news, or when no AI can
 * answer, the current summary stays and `refreshed` is false.
 */
export async function refreshNarrative(call: LunaCall): Promise<RefreshResult> {
  const { db } = call.deps;
  const userId = call.payer.userId;
  const before = await getNarrative(db, userId);
  if (before.eventsSinceSummary < call.deps.config.luna.narrativeRefreshEvents) {
    return { refreshed: false, degraded: false, narrative: before };
  }
  let text: string;
  try {
    const answer = await completeChat(call.deps, call.payer, {
      route: ROUTE,
      messages: await summaryPrompt(call, before),
      maxTokens: MAX_TOKENS,
      // One paid call per summary version and stream head: refreshes at the same moment
      // share it (the others are told it is running), a retry after a crash replays it,
      // and a later refresh (more events) is a new call rather than that old answer.
      idempotencyKey: `luna-narrative:${before.summary?.version ?? 0}:${streamHeadOf(before)}`,
    });
    text = answer.text.trim();
  } catch (error) {
    if (error instanceof DomainError && error.reason === 'IDEMPOTENCY_IN_PROGRESS') {
      return { refreshed: false, degraded: false, narrative: before };
    }
    if (error instanceof DomainError && error.kind !== 'invalid') {
      return { refreshed: false, degraded: true, narrative: before };
    }
    throw error;
  }
  const { result: refreshed } = await runCallCommand(
    call,
    async ({ trx, version }) => {
      // A concurrent refresh that already covered this much wins; this one writes nothing.
      const latest = await latestSummary(trx, userId);
      if ((latest?.version ?? 0) !== (before.summary?.version ?? 0)) {
        return { events: [], result: false };
      }
      return {
        events: [
          {
            type: 'narrative.summarised',
            payload: { version: (latest?.version ?? 0) + 1, summary: text, covers: version + 1 },
          },
        ],
        result: true,
      };
    },
    { nowMs: call.deps.clock.now() },
  );
  return { refreshed, degraded: false, narrative: await getNarrative(db, userId) };
}
