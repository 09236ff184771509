import { sql } from '@phoenix/db';
import { createTestDatabase, type TestDatabase } from '@phoenix/db/testing';
import { type ChatMessage, createOffline } from '@phoenix/gateway';
import {
  cohereEmbeddings,
  geminiResponse,
  openAiCompletion,
  openAiEmbeddings,
  openAiError,
} from '@phoenix/gateway/testing';
import { createTestKv, type TestKv } from '@phoenix/kv/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { analyzeChampionJob } from './analysis-job.ts';
import { analysed, startChampionServer, TRANSCRIPT, WAIT } from './testing.ts';

/**
 * The analysis against providers faked at the network level with their real payloads:
 * structured extraction and embeddings on two provider families (OpenAI; Gemini for chat
 * and Cohere for embeddings), fallback when a provider fails mid-analysis, invalid
 * structured output retried then failed (and the failed step retried alone), and a
 * worker stopped mid-analysis whose job another worker resumes.
 */

const OPENAI_CHAT = 'https://api.openai.com/v1/chat/completions';
const OPENAI_EMBED = 'https://api.openai.com/v1/embeddings';
const GEMINI_CHAT =
  'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent';
const COHERE_EMBED = 'https://api.cohere.com/v2/embed';

const ENV = {
  OPENAI_API_KEY: 'sk-test',
  GEMINI_API_KEY: 'AIza-test',
  COHERE_API_KEY: 'co-test',
  GATEWAY_ROUTES: JSON.stringify({
    'champion.analyze': [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'gemini', model: 'gemini-2.0-flash' },
    ],
    'embed.default': [
      { provider: 'openai', model: 'text-embedding-3-small' },
      { provider: 'cohere', model: 'embed-v4.0' },
    ],
  }),
  GATEWAY_PRICES: JSON.stringify({
    'openai/gpt-4o-mini': { input: 0, output: 0 },
    'gemini/gemini-2.0-flash': { input: 0, output: 0 },
    'openai/text-embedding-3-small': { input: 1_000_000, output: 0 },
    'cohere/embed-v4.0': { input: 2_000_000, output: 0 },
  }),
  GATEWAY_MAX_RETRIES: '0',
};

const msw = setupServer();
const offline = createOffline();
/** Calls per provider and task, e.g. `openai:diarize`. */
let calls: string[] = [];

const taskOf = (system: string) => /\[task:([a-z-]+)\]/.exec(system)?.[1] ?? 'none';

/** What a real model would answer, computed by the offline heuristics for the same prompt. */
const answerFor = async (messages: ChatMessage[]) =>
  (await offline.chat({ model: 'm', messages })).text;

const vectorsFor = (texts: string[]) => texts.map((t, i) => [1, t.length % 7, i + 1]);

type Script = (task: string, n: number) => 'answer' | 'fail' | 'garbage' | 'wrong-shape' | 'fenced';

/** OpenAI chat answering each task as `script` says (by task and call number). */
function openAiChat(script: Script = () => 'answer') {
  return http.post(OPENAI_CHAT, async ({ request }) => {
    const body = (await request.json()) as { messages: ChatMessage[] };
    const task = taskOf(body.messages[0]?.content ?? '');
    calls.push(`openai:${task}`);
    const n = calls.filter((c) => c === `openai:${task}`).length;
    switch (script(task, n)) {
      case 'fail':
        return HttpResponse.json(openAiError('The server had an error', 'server_error'), {
          status: 500,
        });
      case 'garbage':
        return HttpResponse.json(openAiCompletion('Sure! Here are the patterns I found.'));
      case 'wrong-shape':
        return HttpResponse.json(openAiCompletion('{"patterns": [{"kind": "charm"}]}'));
      case 'fenced':
        return HttpResponse.json(
          openAiCompletion(`Here you go:\n\`\`\`json\n${await answerFor(body.messages)}\n\`\`\``),
        );
      default:
        return HttpResponse.json(openAiCompletion(await answerFor(body.messages)));
    }
  });
}

const openAiEmbed = http.post(OPENAI_EMBED, async ({ request }) => {
  const body = (await request.json()) as { input: string[] };
  calls.push('openai:embed');
  return HttpResponse.json(openAiEmbeddings(vectorsFor(body.input)));
});

const geminiChat = http.post(GEMINI_CHAT, async ({ request }) => {
  const body = (await request.json()) as {
    systemInstruction: { parts: { text: string }[] };
    contents: { role: string; parts: { text: string }[] }[];
  };
  const system = body.systemInstruction.parts.map((p) => p.text).join('\n');
  calls.push(`gemini:${taskOf(system)}`);
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    ...body.contents.map(
      (c): ChatMessage => ({
        role: c.role === 'model' ? 'assistant' : 'user',
        content: c.parts.map((p) => p.text).join(''),
      }),
    ),
  ];
  return HttpResponse.json(geminiResponse(await answerFor(messages)));
});

const cohereEmbed = http.post(COHERE_EMBED, async ({ request }) => {
  const body = (await request.json()) as { texts: string[]; input_type: string };
  calls.push(`cohere:embed:${body.input_type}`);
  return HttpResponse.json(cohereEmbeddings(vectorsFor(body.texts), body.texts));
});

const down = (url: string) =>
  http.post(url, () => {
    calls.push(`down:${url}`);
    return HttpResponse.json(openAiError('Incorrect API key provided', 'invalid_request_error'), {
      status: 401,
    });
  });

let server: TestServer;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  server = await startChampionServer({ env: ENV });
});
afterEach(() => {
  msw.resetHandlers();
  calls = [];
});
afterAll(async () => {
  msw.close();
  await server.close();
});

async function newChampion(s: TestServer = server) {
  const seller = await signUp(s, { label: 'msw' });
  const champion = await seller.client.champions.createFromTranscript.mutate({
    name: 'Sam',
    transcript: TRANSCRIPT,
  });
  return { seller, champion };
}

async function embedBills(userId: string) {
  return server.deps.db
    .selectFrom('gatewayRequests')
    .select(['provider', 'status', 'creditsCharged', 'inputTokens'])
    .where('userId', '=', userId)
    .where('route', '=', 'embed.default')
    .execute();
}

describe('analysis through real provider payloads', () => {
  it('OpenAI family: structured extraction (even fenced) and embeddings, billed per token', async () => {
    msw.use(
      openAiChat((task) => (task === 'extract-patterns' ? 'fenced' : 'answer')),
      openAiEmbed,
    );
    const { seller, champion } = await newChampion();
    const before = (await seller.client.gateway.credits.balance.query()).balance;
    await seller.client.champions.analyze.mutate({ id: champion.id });
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    expect(calls).toEqual(['openai:diarize', 'openai:extract-patterns', 'openai:embed']);
    const found = await seller.client.champions.similarPatterns.mutate({ query: 'price' });
    expect(found.model).toBe('openai/text-embedding-3-small');
    expect(found.items.length).toBeGreaterThan(0);
    // The pattern embeddings and the query: 8 prompt tokens each, one credit a token.
    expect(await embedBills(seller.id)).toEqual([
      { provider: 'openai', status: 'ok', creditsCharged: 8, inputTokens: 8 },
      { provider: 'openai', status: 'ok', creditsCharged: 8, inputTokens: 8 },
    ]);
    expect((await seller.client.gateway.credits.balance.query()).balance).toBe(before - 16);
  });

  it('Gemini for extraction and Cohere for embeddings when OpenAI refuses its key', async () => {
    msw.use(down(OPENAI_CHAT), down(OPENAI_EMBED), geminiChat, cohereEmbed);
    const { seller, champion } = await newChampion();
    await seller.client.champions.analyze.mutate({ id: champion.id });
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    expect(calls.filter((c) => !c.startsWith('down:'))).toEqual([
      'gemini:diarize',
      'gemini:extract-patterns',
      'cohere:embed:search_document',
    ]);
    const patterns = await seller.client.champions.patterns.query({ championId: champion.id });
    expect(patterns.items.some((p) => p.kind === 'objection_handling')).toBe(true);
    const found = await seller.client.champions.similarPatterns.mutate({
      query: 'the price is too high for our budget',
    });
    expect(found.model).toBe('cohere/embed-v4.0');
    expect(calls.at(-1)).toBe('cohere:embed:search_query');
    expect(await embedBills(seller.id)).toEqual([
      { provider: 'cohere', status: 'ok', creditsCharged: 24, inputTokens: 12 },
      { provider: 'cohere', status: 'ok', creditsCharged: 24, inputTokens: 12 },
    ]);
  });

  it('falls back to the next provider when one fails mid-analysis', async () => {
    msw.use(
      openAiChat((task) => (task === 'extract-patterns' ? 'fail' : 'answer')),
      geminiChat,
      openAiEmbed,
    );
    const { seller, champion } = await newChampion();
    await seller.client.champions.analyze.mutate({ id: champion.id });
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    expect(calls).toEqual([
      'openai:diarize',
      'openai:extract-patterns',
      'gemini:extract-patterns',
      'openai:embed',
    ]);
  });

  it('retries invalid structured output, fails clearly, then retries only the failed step', async () => {
    msw.use(
      openAiChat((task, n) =>
        task === 'extract-patterns' ? (n === 1 ? 'garbage' : 'wrong-shape') : 'answer',
      ),
      openAiEmbed,
      down(GEMINI_CHAT),
    );
    const { seller, champion } = await newChampion();
    await seller.client.champions.analyze.mutate({ id: champion.id });
    const failed = await analysed(seller.client, champion.id);
    expect(failed).toMatchObject({ status: 'failed', currentStep: 'extract' });
    expect(failed.failureReason).toMatch(
      /did not match the expected structure after 3 attempts \(patterns\.0\.kind/,
    );
    expect(failed.steps.map((s) => s.state)).toEqual(['skipped', 'done', 'failed', 'pending']);
    expect(calls.filter((c) => c === 'openai:extract-patterns')).toHaveLength(3);

    // The model behaves again: analysing resumes at extraction; diarization is not repeated.
    msw.resetHandlers();
    calls = [];
    msw.use(openAiChat(), openAiEmbed);
    await seller.client.champions.analyze.mutate({ id: champion.id });
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    expect(calls).toEqual(['openai:extract-patterns', 'openai:embed']);
  });
});

describe('the same analysis job run again', () => {
  it('replays the model answers it already paid for, instead of paying twice', async () => {
    msw.use(openAiChat(), openAiEmbed);
    const { seller, champion } = await newChampion();
    await seller.client.champions.analyze.mutate({ id: champion.id });
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    expect(calls).toEqual(['openai:diarize', 'openai:extract-patterns', 'openai:embed']);
    const { db } = server.deps;
    const { rows } = await sql<{ id: string }>`
      select id::text from ${sql.table(`${server.deps.jobs.schema}.job`)}
      where name = 'champion.analyze' and data->>'championId' = ${champion.id}
    `.execute(db);
    const jobId = rows[0]?.id ?? '';
    // As if pg-boss ran the job again after the calls were paid but before their steps were
    // stored (a crash, a transient failure of the write).
    await db.deleteFrom('championPatterns').where('championId', '=', champion.id).execute();
    await db.deleteFrom('championTurns').where('championId', '=', champion.id).execute();
    await db.deleteFrom('championAnalysisSteps').where('championId', '=', champion.id).execute();
    await db
      .updateTable('champions')
      .set({ status: 'analyzing' })
      .where('id', '=', champion.id)
      .execute();
    calls = [];
    await analyzeChampionJob.handler(
      server.deps,
      { championId: champion.id },
      {
        id: jobId,
        name: analyzeChampionJob.name,
        retryCount: 1,
      },
    );
    expect(await analysed(seller.client, champion.id)).toMatchObject({ status: 'ready' });
    // The chat steps were replayed from the gateway's log; only the embeddings were asked.
    expect(calls).toEqual(['openai:embed']);
  });
});

describe('a transcript longer than one model call takes', () => {
  it('fails its analysis at once with the reason, asking no provider', async () => {
    msw.use(openAiChat(), openAiEmbed);
    const { seller, champion } = await newChampion();
    // Stored before today's limit, or through a recording: 120,000 characters.
    await server.deps.db
      .updateTable('championTranscripts')
      .set({ text: `${TRANSCRIPT}\n`.repeat(Math.ceil(120_000 / (TRANSCRIPT.length + 1))) })
      .where('championId', '=', champion.id)
      .execute();
    await seller.client.champions.analyze.mutate({ id: champion.id });
    const failed = await analysed(seller.client, champion.id);
    expect(failed).toMatchObject({ status: 'failed', currentStep: 'diarize' });
    expect(failed.failureReason).toMatch(/characters as sent, more than the 100000 one model call/);
    expect(calls).toEqual([]);
  });

  it('is refused when pasted, naming the field', async () => {
    const seller = await signUp(server, { label: 'long-paste' });
    await expectPhoenixError(
      seller.client.champions.createFromTranscript.mutate({
        name: 'Sam',
        transcript: 'x'.repeat(server.deps.config.champion.transcriptMaxChars + 1),
      }),
      { code: 'BAD_REQUEST', field: 'transcript' },
    );
    expect(server.deps.config.champion.transcriptMaxChars).toBeLessThan(100_000);
  });
});

describe('a worker stopped mid-analysis', () => {
  let database: TestDatabase;
  let kv: TestKv;

  beforeAll(async () => {
    database = await createTestDatabase();
    kv = createTestKv();
  });
  afterAll(async () => {
    await kv.close();
    await database.close();
  });

  it('leaves the job to a new worker, which resumes at the interrupted step', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    msw.use(
      http.post(OPENAI_CHAT, async ({ request }) => {
        const body = (await request.clone().json()) as { messages: ChatMessage[] };
        if (taskOf(body.messages[0]?.content ?? '') === 'extract-patterns' && !held) {
          held = true;
          calls.push('openai:extract-patterns:held');
          await gate;
          return HttpResponse.json(openAiError('gone', 'server_error'), { status: 500 });
        }
        return undefined;
      }),
      openAiChat(),
      openAiEmbed,
      down(GEMINI_CHAT),
    );
    const first = await startChampionServer({ env: ENV, database, kv });
    const { seller, champion } = await newChampion(first);
    await seller.client.champions.analyze.mutate({ id: champion.id });
    await expect.poll(() => held, WAIT).toBe(true);
    expect(calls).toEqual(['openai:diarize', 'openai:extract-patterns:held']);

    // The process stops while the extraction is in flight.
    await first.close();
    const second = await startChampionServer({ env: ENV, database, kv });
    try {
      const client = second.client(seller.token);
      expect(await analysed(client, champion.id)).toMatchObject({ status: 'ready' });
      expect(calls.filter((c) => c === 'openai:diarize')).toHaveLength(1);
      expect(calls).toContain('openai:extract-patterns');
      const steps = await second.deps.db
        .selectFrom('championAnalysisSteps')
        .select('step')
        .where('championId', '=', champion.id)
        .execute();
      expect(steps.map((s) => s.step).sort()).toEqual([
        'diarize',
        'embed',
        'extract',
        'transcribe',
      ]);
    } finally {
      release();
      await second.close();
    }
  });
});
