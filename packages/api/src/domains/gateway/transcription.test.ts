import { deepgramListen, whisperVerbose } from '@phoenix/gateway/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.ts';
import type { Payer } from './payer.ts';
import { gatewayUser } from './test-fixture.ts';
import { type TranscriptionChunk, transcribeAudio } from './transcription.service.ts';

const OPENAI = 'https://api.openai.com/v1/audio/transcriptions';
const DEEPGRAM = 'https://api.deepgram.com/v1/listen';
const msw = setupServer();
const hits = { openai: 0, deepgram: 0 };
let server: TestServer;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  msw.events.on('request:start', ({ request }) => {
    if (request.url.startsWith(OPENAI)) hits.openai++;
    if (request.url.startsWith(DEEPGRAM)) hits.deepgram++;
  });
  server = await startTestServer({
    env: {
      OPENAI_API_KEY: 'sk-test-openai',
      DEEPGRAM_API_KEY: 'dg-test',
      GATEWAY_ROUTES: JSON.stringify({
        'transcribe.whisper': [{ provider: 'openai', model: 'whisper-1' }],
        // Deepgram first; Whisper, dearer, sets the reservation.
        'transcribe.both': [
          { provider: 'deepgram', model: 'nova-3' },
          { provider: 'openai', model: 'whisper-1' },
        ],
        'transcribe.offline': [{ provider: 'offline', model: 'phoenix-offline-1' }],
      }),
      GATEWAY_TRANSCRIBE_PRICES: JSON.stringify({
        'openai/whisper-1': 60,
        'deepgram/nova-3': 30,
      }),
      GATEWAY_SIGNUP_CREDITS: '1000',
      GATEWAY_BACKOFF_BASE_MS: '5',
      GATEWAY_MAX_RETRIES: '1',
      GATEWAY_BREAKER_FAILURE_THRESHOLD: '100000',
      GATEWAY_BREAKER_MIN_REQUESTS: '100000',
    },
  });
});
afterEach(() => {
  msw.resetHandlers();
  hits.openai = 0;
  hits.deepgram = 0;
});
afterAll(async () => {
  msw.close();
  await server?.close();
});

async function payer(credits?: number): Promise<Payer> {
  const user = await gatewayUser(server, credits === undefined ? {} : { credits });
  return { userId: user.id, apiKeyId: null, tier: 'FREE' };
}

const balance = async (userId: string) =>
  (
    await server.deps.db
      .selectFrom('creditBalances')
      .select('balance')
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow()
  ).balance;

const ledger = (userId: string) =>
  server.deps.db
    .selectFrom('creditTransactions')
    .select(['kind', 'amount'])
    .where('userId', '=', userId)
    .where('kind', 'in', ['reserve', 'refund'])
    .orderBy('id')
    .execute();

/** 16 kHz mono PCM bytes of `seconds` (the bytes are what a provider hears; content is fake). */
const chunk = (startSeconds: number, durationSeconds: number): TranscriptionChunk => ({
  startSeconds,
  durationSeconds,
  audio: new Uint8Array(44 + Math.round(durationSeconds * 32_000)).fill(startSeconds % 251),
});

describe('transcribeAudio: billed per audio minute', () => {
  it('reserves the measured minutes, bills the reported ones, refunds the rest', async () => {
    const who = await payer();
    msw.use(
      http.post(OPENAI, () =>
        HttpResponse.json(whisperVerbose([{ start: 0, end: 75, text: ' Hello.' }], 75)),
      ),
    );
    const result = await transcribeAudio(server.deps, {
      payer: who,
      route: 'transcribe.whisper',
      chunks: [chunk(0, 90)],
    });
    // 90 s at 60 credits a minute reserved; the provider heard 75 s.
    expect(result.creditsCharged).toBe(75);
    expect(await ledger(who.userId)).toEqual([
      { kind: 'reserve', amount: -90 },
      { kind: 'refund', amount: 15 },
    ]);
    expect(await balance(who.userId)).toBe(1000 - 75);
    const row = await server.deps.db
      .selectFrom('gatewayRequests')
      .select(['status', 'creditsCharged', 'provider', 'model', 'route'])
      .where('id', '=', result.requestIds[0] ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'ok',
      provider: 'openai',
      model: 'whisper-1',
      route: 'transcribe.whisper',
    });
    expect(Number(row.creditsCharged)).toBe(75);
  });

  it('reserves at the dearest target, bills the one that answered, with its speakers', async () => {
    const who = await payer();
    msw.use(
      http.post(DEEPGRAM, () =>
        HttpResponse.json(
          deepgramListen(
            [
              { start: 0.5, end: 20, text: 'Thanks for joining.', speaker: 0 },
              { start: 21, end: 60, text: 'Happy to be here.', speaker: 1 },
            ],
            60,
          ),
        ),
      ),
    );
    const result = await transcribeAudio(server.deps, {
      payer: who,
      route: 'transcribe.both',
      chunks: [chunk(0, 60), chunk(60, 60)],
    });
    expect(hits).toEqual({ openai: 0, deepgram: 2 });
    // Each chunk: 60 reserved (Whisper's price), 30 billed (Deepgram's).
    expect(await ledger(who.userId)).toEqual([
      { kind: 'reserve', amount: -60 },
      { kind: 'refund', amount: 30 },
      { kind: 'reserve', amount: -60 },
      { kind: 'refund', amount: 30 },
    ]);
    expect(result.creditsCharged).toBe(60);
    expect(result.diarized).toBe(true);
    expect(result.durationSeconds).toBe(120);
    // The second chunk's times are from the start of the recording.
    expect(result.segments.map((s) => [s.chunk, s.start, s.speaker])).toEqual([
      [0, 0.5, '0'],
      [0, 21, '1'],
      [1, 60.5, '0'],
      [1, 81, '1'],
    ]);
  });

  it('falls back and costs nothing when every provider fails', async () => {
    const who = await payer();
    msw.use(
      http.post(DEEPGRAM, () => HttpResponse.json({ err_msg: 'down' }, { status: 503 })),
      http.post(OPENAI, () =>
        HttpResponse.json({ error: { message: 'down', type: 'server_error' } }, { status: 500 }),
      ),
    );
    await expect(
      transcribeAudio(server.deps, {
        payer: who,
        route: 'transcribe.both',
        chunks: [chunk(0, 30)],
      }),
    ).rejects.toMatchObject({ reason: 'ALL_PROVIDERS_FAILED' });
    expect(hits).toEqual({ openai: 2, deepgram: 2 });
    expect(await balance(who.userId)).toBe(1000);
    expect(await ledger(who.userId)).toEqual([
      { kind: 'reserve', amount: -30 },
      { kind: 'refund', amount: 30 },
    ]);
  });

  it('refuses before any provider when the reservation does not fit', async () => {
    const who = await payer(50);
    await expect(
      transcribeAudio(server.deps, {
        payer: who,
        route: 'transcribe.whisper',
        chunks: [chunk(0, 120)],
      }),
    ).rejects.toMatchObject({ reason: 'INSUFFICIENT_CREDITS' });
    expect(hits.openai).toBe(0);
    expect(await balance(who.userId)).toBe(50);
  });

  it('is idempotent: run again, done chunks are read back, not sent or billed again', async () => {
    const who = await payer();
    let calls = 0;
    msw.use(
      http.post(OPENAI, () => {
        calls++;
        // The second chunk fails the first time round.
        if (calls === 2) {
          return HttpResponse.json({ error: { message: 'bad', type: 'x' } }, { status: 401 });
        }
        return HttpResponse.json(whisperVerbose([{ start: 0, end: 30, text: ' Part.' }], 30));
      }),
    );
    const input = {
      payer: who,
      route: 'transcribe.whisper',
      chunks: [chunk(0, 30), chunk(30, 30)],
      idempotencyKey: 'recording-1234',
    };
    await expect(transcribeAudio(server.deps, input)).rejects.toMatchObject({
      reason: 'ALL_PROVIDERS_FAILED',
    });
    expect(await balance(who.userId)).toBe(1000 - 30);
    const again = await transcribeAudio(server.deps, input);
    expect(calls).toBe(3);
    expect(again.creditsCharged).toBe(60);
    expect(await balance(who.userId)).toBe(1000 - 60);
    const third = await transcribeAudio(server.deps, input);
    expect(calls).toBe(3);
    expect(third).toEqual(again);
    expect(await balance(who.userId)).toBe(1000 - 60);
  });

  it('runs with no key on the offline provider, free, deterministic', async () => {
    const who = await payer();
    const input = { payer: who, route: 'transcribe.offline', chunks: [chunk(0, 20)] };
    const first = await transcribeAudio(server.deps, input);
    const second = await transcribeAudio(server.deps, input);
    expect(first.creditsCharged).toBe(0);
    expect(first.providers).toEqual(['offline']);
    expect(first.text).toBe(second.text);
    expect(first.segments.map((s) => s.speaker)).toEqual(['0', '1', '0']);
    expect(await balance(who.userId)).toBe(1000);
  });
});
