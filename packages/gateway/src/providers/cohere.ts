import { asRecord } from '../classify.ts';
import { checkedVectors } from '../embed.ts';
import { joinUrl, postForStream, postJson, readJson } from '../http.ts';
import { ProviderError } from '../provider-error.ts';
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

export const COHERE_BASE_URL = 'https://api.cohere.com';

export interface CohereOptions {
  apiKey: string;
  baseUrl?: string | undefined;
}

/** Cohere Chat v2 (`/v2/chat`); messages keep the system/user/assistant roles as they are. */
export function createCohere(options: CohereOptions): ProviderAdapter {
  const name = 'cohere';
  const url = joinUrl(options.baseUrl ?? COHERE_BASE_URL, '/v2/chat');
  const embedUrl = joinUrl(options.baseUrl ?? COHERE_BASE_URL, '/v2/embed');
  const headers = { authorization: `Bearer ${options.apiKey}` };

  const body = (request: ChatRequest, stream: boolean) => ({
    model: request.model,
    messages: request.messages,
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { p: request.topP }),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...(stream ? { stream: true } : {}),
  });

  return {
    name,
    async chat(request: ChatRequest, call: CallOptions = {}): Promise<ChatResult> {
      const response = await postJson({
        provider: name,
        url,
        headers,
        body: body(request, false),
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      const content = asRecord(json.message).content;
      const text = Array.isArray(content)
        ? content
            .map(asRecord)
            .filter((c) => c.type === 'text' && typeof c.text === 'string')
            .map((c) => c.text)
            .join('')
        : '';
      return {
        text,
        usage: readUsage(json.usage) ?? { inputTokens: 0, outputTokens: 0 },
        finishReason: typeof json.finish_reason === 'string' ? json.finish_reason : null,
        provider: name,
        model: request.model,
      };
    },

    async *stream(request: ChatRequest, call: CallOptions = {}): AsyncGenerator<StreamEvent> {
      const response = await postForStream({
        provider: name,
        url,
        headers,
        body: body(request, true),
        signal: call.signal,
      });
      for await (const message of readSse(name, response, call.signal)) {
        const event = asRecord(parseData(name, message.data));
        if (event.type === 'content-delta') {
          const text = asRecord(asRecord(asRecord(event.delta).message).content).text;
          if (typeof text === 'string' && text !== '') yield { type: 'delta', text };
        } else if (event.type === 'message-end') {
          const delta = asRecord(event.delta);
          const error = delta.error;
          if (typeof error === 'string' && error !== '') {
            throw new ProviderError({
              provider: name,
              kind: 'server',
              message: `cohere: ${error}`,
            });
          }
          const usage = readUsage(delta.usage);
          if (usage) yield { type: 'usage', usage };
          yield {
            type: 'done',
            finishReason: typeof delta.finish_reason === 'string' ? delta.finish_reason : null,
          };
          return;
        }
      }
      throw truncated(name);
    },

    /** Embed v2 (`/v2/embed`): `embeddings.float`, billed as `meta.billed_units.input_tokens`. */
    async embed(request: EmbedRequest, call: CallOptions = {}): Promise<EmbedResult> {
      const response = await postJson({
        provider: name,
        url: embedUrl,
        headers,
        body: {
          model: request.model,
          texts: request.input,
          input_type: request.purpose === 'query' ? 'search_query' : 'search_document',
          embedding_types: ['float'],
        },
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      const float = asRecord(json.embeddings).float;
      const billed = asRecord(asRecord(json.meta).billed_units);
      return {
        vectors: checkedVectors(name, Array.isArray(float) ? float : [], request.input.length),
        usage: {
          inputTokens: typeof billed.input_tokens === 'number' ? billed.input_tokens : 0,
          outputTokens: 0,
        },
        provider: name,
        model: request.model,
      };
    },
  };
}

/** `tokens` is what the model processed; `billed_units` is the fallback when only it is sent. */
function readUsage(value: unknown): Usage | undefined {
  const usage = asRecord(value);
  for (const source of [asRecord(usage.tokens), asRecord(usage.billed_units)]) {
    if (typeof source.input_tokens === 'number' || typeof source.output_tokens === 'number') {
      return {
        inputTokens: typeof source.input_tokens === 'number' ? source.input_tokens : 0,
        outputTokens: typeof source.output_tokens === 'number' ? source.output_tokens : 0,
      };
    }
  }
  return undefined;
}
