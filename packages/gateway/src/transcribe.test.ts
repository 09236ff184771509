import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error.ts';
import { offlineTranscript } from './providers/offline-transcript.ts';
import {
  deepgramListen,
  gpt4oTranscription,
  openAiError,
  whisperVerbose,
} from './testing/payloads.ts';
import { KEYS, testRouter } from './testing/router.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OPENAI = 'https://api.openai.com/v1/audio/transcriptions';
const GROQ = 'https://api.groq.com/openai/v1/audio/transcriptions';
const DEEPGRAM = 'https://api.deepgram.com/v1/listen';
const audio = {
  audio: new Uint8Array(32_044).fill(7),
  fileName: 'chunk-000.wav',
  mimeType: 'audio/wav',
  durationSeconds: 12.5,
};
const providers = { ...KEYS, deepgram: { apiKey: 'dg' } };

describe('gateway transcribe', () => {
  it('sends OpenAI a multipart verbose_json request and reads its segments', async () => {
    let form: FormData | undefined;
    let auth: string | null = null;
    server.use(
      http.post(OPENAI, async ({ request }) => {
        form = await request.formData();
        auth = request.headers.get('authorization');
        return HttpResponse.json(
          whisperVerbose([
            { start: 0, end: 4.2, text: ' Hi, thanks for joining.' },
            { start: 4.2, end: 12.5, text: ' Happy to be here.' },
          ]),
        );
      }),
    );
    const { router } = testRouter({ t: [{ provider: 'openai', model: 'whisper-1' }] });
    const { result, attempts } = await router.transcribe('t', audio);
    expect(auth).toBe('Bearer sk-openai');
    expect(form?.get('model')).toBe('whisper-1');
    expect(form?.get('response_format')).toBe('verbose_json');
    expect(form?.getAll('timestamp_granularities[]')).toEqual(['segment']);
    const file = form?.get('file') as File;
    expect(file.name).toBe('chunk-000.wav');
    expect(file.size).toBe(32_044);
    expect(result).toMatchObject({
      text: 'Hi, thanks for joining. Happy to be here.',
      durationSeconds: 12.5,
      diarized: false,
      provider: 'openai',
      model: 'whisper-1',
      segments: [
        { start: 0, end: 4.2, text: 'Hi, thanks for joining.' },
        { start: 4.2, end: 12.5, text: 'Happy to be here.' },
      ],
    });
    expect(attempts.map((a) => a.status)).toEqual(['ok']);
  });

  it('asks gpt-4o-transcribe for json and spans its text over the measured duration', async () => {
    let format: unknown;
    server.use(
      http.post(OPENAI, async ({ request }) => {
        format = (await request.formData()).get('response_format');
        return HttpResponse.json(gpt4oTranscription('Hello there.'));
      }),
    );
    const { router } = testRouter({ t: [{ provider: 'openai', model: 'gpt-4o-transcribe' }] });
    const { result } = await router.transcribe('t', audio);
    expect(format).toBe('json');
    expect(result.segments).toEqual([{ start: 0, end: 12.5, text: 'Hello there.' }]);
    expect(result.durationSeconds).toBe(12.5);
  });

  it('reads Deepgram utterances with their speakers', async () => {
    let url: URL | undefined;
    let headers: Headers | undefined;
    let bytes = 0;
    server.use(
      http.post(DEEPGRAM, async ({ request }) => {
        url = new URL(request.url);
        headers = request.headers;
        bytes = (await request.arrayBuffer()).byteLength;
        return HttpResponse.json(
          deepgramListen([
            { start: 0.4, end: 5.1, text: 'What made you look at this now?', speaker: 0 },
            { start: 5.6, end: 12.2, text: 'Our process does not keep up.', speaker: 1 },
          ]),
        );
      }),
    );
    const { router } = testRouter(
      { t: [{ provider: 'deepgram', model: 'nova-3' }] },
      { providers },
    );
    const { result } = await router.transcribe('t', audio);
    expect(url?.searchParams.get('diarize')).toBe('true');
    expect(url?.searchParams.get('utterances')).toBe('true');
    expect(url?.searchParams.get('model')).toBe('nova-3');
    expect(headers?.get('authorization')).toBe('Token dg');
    expect(headers?.get('content-type')).toBe('audio/wav');
    expect(bytes).toBe(32_044);
    expect(result).toMatchObject({
      diarized: true,
      durationSeconds: 12.2,
      language: 'en',
      segments: [
        { start: 0.4, end: 5.1, text: 'What made you look at this now?', speaker: '0' },
        { start: 5.6, end: 12.2, text: 'Our process does not keep up.', speaker: '1' },
      ],
    });
  });

  it('falls back from a failing Deepgram to Groq, retrying a 503 first', async () => {
    let deepgramCalls = 0;
    server.use(
      http.post(DEEPGRAM, () => {
        deepgramCalls++;
        return HttpResponse.json(
          { err_code: 'INTERNAL', err_msg: 'busy', request_id: 'x' },
          { status: 503 },
        );
      }),
      http.post(GROQ, () =>
        HttpResponse.json(whisperVerbose([{ start: 0, end: 12.5, text: ' Fine.' }])),
      ),
    );
    const { router } = testRouter(
      {
        t: [
          { provider: 'deepgram', model: 'nova-3' },
          { provider: 'groq', model: 'whisper-large-v3' },
        ],
      },
      { providers, options: { maxRetries: 1 } },
    );
    const { result, attempts } = await router.transcribe('t', audio);
    expect(deepgramCalls).toBe(2);
    expect(result.provider).toBe('groq');
    expect(attempts.map((a) => `${a.provider}:${a.status}`)).toEqual([
      'deepgram:error',
      'deepgram:error',
      'groq:ok',
    ]);
  });

  it('passes over a provider that cannot transcribe and one with no key', async () => {
    const { router } = testRouter({
      t: [
        { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
        { provider: 'deepgram', model: 'nova-3' },
        { provider: 'offline', model: 'phoenix-offline-1' },
      ],
    });
    const { result, attempts } = await router.transcribe('t', audio);
    expect(result.provider).toBe('offline');
    expect(attempts.map((a) => `${a.provider}:${a.status}`)).toEqual([
      'anthropic:error',
      'deepgram:skipped',
      'offline:ok',
    ]);
  });

  it('fails with ALL_PROVIDERS_FAILED when no target answers', async () => {
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(openAiError('bad key', 'invalid_request_error', 'invalid_api_key'), {
          status: 401,
        }),
      ),
    );
    const { router } = testRouter({ t: [{ provider: 'openai', model: 'whisper-1' }] });
    const error = await router.transcribe('t', audio).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ reason: 'ALL_PROVIDERS_FAILED' });
  });
});

describe('offline transcript', () => {
  it('is deterministic, two speakers, as long as the audio', () => {
    const first = offlineTranscript(audio);
    expect(offlineTranscript(audio)).toEqual(first);
    expect(first.durationSeconds).toBe(12.5);
    expect(first.segments.map((s) => [s.start, s.end, s.speaker])).toEqual([
      [0, 8, '0'],
      [8, 12.5, '1'],
    ]);
    const other = offlineTranscript({ ...audio, audio: new Uint8Array(32_044).fill(9) });
    expect(other.segments.length).toBe(2);
    // Without a measured duration, the length of 16 kHz mono PCM is read from its bytes.
    expect(offlineTranscript({ audio: audio.audio }).durationSeconds).toBe(1);
  });
});
