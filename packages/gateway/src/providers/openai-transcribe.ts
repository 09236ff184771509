import { asRecord } from '../classify.ts';
import { joinUrl, postBody, readJson } from '../http.ts';
import type {
  CallOptions,
  TranscribeRequest,
  TranscribeResult,
  TranscriptSegment,
} from '../types.ts';

/**
 * `/audio/transcriptions` as OpenAI and Groq serve it (multipart). `verbose_json` gives
 * timed segments and the billed duration; OpenAI's gpt-4o-transcribe models only answer
 * `json` (text alone), so their single segment spans the measured duration.
 */
export function openAiTranscriber(options: { name: string; apiKey: string; baseUrl: string }) {
  const { name } = options;
  const url = joinUrl(options.baseUrl, '/audio/transcriptions');
  const headers = { authorization: `Bearer ${options.apiKey}` };

  return async (request: TranscribeRequest, call: CallOptions = {}): Promise<TranscribeResult> => {
    const verbose = !request.model.startsWith('gpt-4o');
    const form = new FormData();
    form.set(
      'file',
      new Blob([request.audio as Uint8Array<ArrayBuffer>], { type: request.mimeType }),
      request.fileName,
    );
    form.set('model', request.model);
    form.set('response_format', verbose ? 'verbose_json' : 'json');
    if (verbose) form.append('timestamp_granularities[]', 'segment');
    if (request.language) form.set('language', request.language);
    const response = await postBody({
      provider: name,
      url,
      headers,
      body: form,
      signal: call.signal,
    });
    const json = asRecord(await readJson(name, response, call.signal));
    const text = typeof json.text === 'string' ? json.text.trim() : '';
    const measured = request.durationSeconds ?? 0;
    const duration = typeof json.duration === 'number' ? json.duration : measured;
    const segments: TranscriptSegment[] = Array.isArray(json.segments)
      ? json.segments.map(asRecord).map((s) => ({
          start: typeof s.start === 'number' ? s.start : 0,
          end: typeof s.end === 'number' ? s.end : 0,
          text: typeof s.text === 'string' ? s.text.trim() : '',
        }))
      : text
        ? [{ start: 0, end: duration, text }]
        : [];
    return {
      text,
      segments: segments.filter((s) => s.text !== ''),
      durationSeconds: duration,
      ...(typeof json.language === 'string' ? { language: json.language } : {}),
      diarized: false,
      provider: name,
      model: request.model,
    };
  };
}
