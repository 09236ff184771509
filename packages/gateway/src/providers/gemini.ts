import { asRecord } from '../classify.ts';
import { checkedVectors, estimatedEmbedUsage } from '../embed.ts';
import { joinUrl, postForStream, postJson, readJson } from '../http.ts';
import { parseData, readSse, truncated } from '../sse.ts';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  EmbedRequest,
  EmbedResult,
  ProviderAdapter,
  StreamEvent,
  Usage,
} from '../types.ts';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

export interface GeminiOptions {
  apiKey: string;
  baseUrl?: string | undefined;
}

export function createGemini(options: GeminiOptions): ProviderAdapter {
  const name = 'gemini';
  const base = options.baseUrl ?? GEMINI_BASE_URL;
  const headers = { 'x-goog-api-key': options.apiKey };
  const url = (model: string, method: string) =>
    joinUrl(base, `/v1beta/models/${encodeURIComponent(model)}:${method}`);

  const body = (request: ChatRequest) => {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
    const generationConfig = {
      ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(request.stop?.length ? { stopSequences: request.stop } : {}),
    };
    return {
      // Gemini calls the assistant `model` and keeps system text apart.
      contents: request.messages
        .filter((m) => m.role !== 'system')
        .map((m) => ({
          role: m.role === 'assistant' ? 'model' : 'user',
          parts: [{ text: m.content }],
        })),
      ...(system.length ? { systemInstruction: { parts: system.map((text) => ({ text })) } } : {}),
      ...(Object.keys(generationConfig).length ? { generationConfig } : {}),
    };
  };

  return {
    name,
    async chat(request: ChatRequest, call: CallOptions = {}): Promise<ChatResult> {
      const response = await postJson({
        provider: name,
        url: url(request.model, 'generateContent'),
        headers,
        body: body(request),
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      const { text, finishReason } = readCandidate(json);
      return {
        text,
        usage: readUsage(json) ?? { inputTokens: 0, outputTokens: 0 },
        finishReason,
        provider: name,
        model: typeof json.modelVersion === 'string' ? json.modelVersion : request.model,
      };
    },

    async *stream(request: ChatRequest, call: CallOptions = {}): AsyncGenerator<StreamEvent> {
      const response = await postForStream({
        provider: name,
        url: `${url(request.model, 'streamGenerateContent')}?alt=sse`,
        headers,
        body: body(request),
        signal: call.signal,
      });
      let usage: Usage | undefined;
      let finishReason: string | null = null;
      // No `[DONE]` line: the stream is complete once a candidate carries a finishReason.
      for await (const message of readSse(name, response, call.signal)) {
        const chunk = asRecord(parseData(name, message.data));
        const candidate = readCandidate(chunk);
        if (candidate.text) yield { type: 'delta', text: candidate.text };
        if (candidate.finishReason) finishReason = candidate.finishReason;
        usage = readUsage(chunk) ?? usage;
      }
      if (finishReason === null) throw truncated(name);
      if (usage) yield { type: 'usage', usage };
      yield { type: 'done', finishReason };
    },

    /**
     * `:batchEmbedContents`: one request per text, `embeddings[i].values` back. Gemini reports
     * no token usage for embeddings, so the tokens are counted here.
     */
    async embed(request: EmbedRequest, call: CallOptions = {}): Promise<EmbedResult> {
      const taskType = request.purpose === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT';
      const response = await postJson({
        provider: name,
        url: url(request.model, 'batchEmbedContents'),
        headers,
        body: {
          requests: request.input.map((text) => ({
            model: `models/${request.model}`,
            content: { parts: [{ text }] },
            taskType,
          })),
        },
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      const embeddings = (Array.isArray(json.embeddings) ? json.embeddings : []).map(
        (e) => asRecord(e).values,
      );
      return {
        vectors: checkedVectors(name, embeddings, request.input.length),
        usage: estimatedEmbedUsage(request.input),
        provider: name,
        model: request.model,
      };
    },
  };
}

function readCandidate(json: Record<string, unknown>): {
  text: string;
  finishReason: string | null;
} {
  const candidate = asRecord(Array.isArray(json.candidates) ? json.candidates[0] : undefined);
  const parts = asRecord(candidate.content).parts;
  const text = Array.isArray(parts)
    ? parts
        .map(asRecord)
        // Thinking models mark their thought summaries; they are not the answer.
        .filter((p) => typeof p.text === 'string' && p.thought !== true)
        .map((p) => p.text)
        .join('')
    : '';
  return {
    text,
    finishReason: typeof candidate.finishReason === 'string' ? candidate.finishReason : null,
  };
}

function readUsage(json: Record<string, unknown>): Usage | undefined {
  const meta = asRecord(json.usageMetadata);
  if (typeof meta.promptTokenCount !== 'number') return undefined;
  // Thinking tokens are billed as output.
  const thoughts = typeof meta.thoughtsTokenCount === 'number' ? meta.thoughtsTokenCount : 0;
  const candidates = typeof meta.candidatesTokenCount === 'number' ? meta.candidatesTokenCount : 0;
  return { inputTokens: meta.promptTokenCount, outputTokens: candidates + thoughts };
}
