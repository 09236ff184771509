import { asRecord } from '../classify.ts';
import { joinUrl, postBody, readJson } from '../http.ts';
import { ProviderError } from '../provider-error.ts';
import type {
  CallOptions,
  ChatResult,
  ProviderAdapter,
  StreamEvent,
  TranscribeRequest,
  TranscribeResult,
} from '../types.ts';

export const DEEPGRAM_BASE_URL = 'https://api.deepgram.com';

const noChat = () =>
  new ProviderError({
    provider: 'deepgram',
    kind: 'not_found',
    message: 'deepgram transcribes audio; it has no chat models',
  });

/**
 * Deepgram's pre-recorded `/v1/listen`: the audio as the raw body, speakers separated by
 * `diarize=true`, one utterance per speaker turn (`utterances=true`).
 */
export function createDeepgram(settings: {
  apiKey: string;
  baseUrl?: string | undefined;
}): ProviderAdapter {
  const name = 'deepgram';
  const base = joinUrl(settings.baseUrl ?? DEEPGRAM_BASE_URL, '/v1/listen');
  return {
    name,
    async chat(): Promise<ChatResult> {
      throw noChat();
    },
    // biome-ignore lint/correctness/useYield: a transcription provider refuses before any event
    async *stream(): AsyncGenerator<StreamEvent> {
      throw noChat();
    },
    async transcribe(
      request: TranscribeRequest,
      call: CallOptions = {},
    ): Promise<TranscribeResult> {
      const query = new URLSearchParams({
        model: request.model,
        diarize: 'true',
        utterances: 'true',
        punctuate: 'true',
        smart_format: 'true',
        ...(request.language ? { language: request.language } : { detect_language: 'true' }),
      });
      const response = await postBody({
        provider: name,
        url: `${base}?${query}`,
        headers: { authorization: `Token ${settings.apiKey}`, 'content-type': request.mimeType },
        body: request.audio,
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      const metadata = asRecord(json.metadata);
      const results = asRecord(json.results);
      const channel = asRecord(Array.isArray(results.channels) ? results.channels[0] : undefined);
      const best = asRecord(
        Array.isArray(channel.alternatives) ? channel.alternatives[0] : undefined,
      );
      const utterances = Array.isArray(results.utterances) ? results.utterances.map(asRecord) : [];
      const segments = utterances
        .map((u) => ({
          start: typeof u.start === 'number' ? u.start : 0,
          end: typeof u.end === 'number' ? u.end : 0,
          text: typeof u.transcript === 'string' ? u.transcript.trim() : '',
          ...(typeof u.speaker === 'number' ? { speaker: String(u.speaker) } : {}),
        }))
        .filter((s) => s.text !== '');
      const language = channel.detected_language;
      return {
        text: typeof best.transcript === 'string' ? best.transcript.trim() : '',
        segments,
        durationSeconds:
          typeof metadata.duration === 'number'
            ? metadata.duration
            : (request.durationSeconds ?? 0),
        ...(typeof language === 'string' ? { language } : {}),
        diarized: segments.some((s) => s.speaker !== undefined),
        provider: name,
        model: request.model,
      };
    },
  };
}
