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

export interface OpenAiCompatibleOptions {
  name: string;
  apiKey: string;
  baseUrl: string;
  /** Send `stream_options.include_usage`; off for APIs that reject unknown fields (Mistral). */
  streamUsageOption?: boolean;
}

/** The `/chat/completions` dialect that OpenAI, Groq, DeepSeek, Mistral, Together and OpenRouter share. */
export function createOpenAiCompatible(options: OpenAiCompatibleOptions): ProviderAdapter {
  const { name } = options;
  const url = joinUrl(options.baseUrl, '/chat/completions');
  const embeddingsUrl = joinUrl(options.baseUrl, '/embeddings');
  const headers = { authorization: `Bearer ${options.apiKey}` };

  const body = (request: ChatRequest, stream: boolean) => ({
    model: request.model,
    messages: request.messages,
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(stream ? { stream: true } : {}),
    ...(stream && options.streamUsageOption !== false
      ? { stream_options: { include_usage: true } }
      : {}),
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
      throwIfInlineError(name, json);
      const choice = asRecord(Array.isArray(json.choices) ? json.choices[0] : undefined);
      const message = asRecord(choice.message);
      const usage = readUsage(json.usage);
      const cost = readCost(json.usage);
      return {
        text: typeof message.content === 'string' ? message.content : '',
        usage: usage ?? { inputTokens: 0, outputTokens: 0 },
        finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
        provider: name,
        model: typeof json.model === 'string' ? json.model : request.model,
        ...(cost === undefined ? {} : { costUsd: cost }),
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
      let finishReason: string | null = null;
      let finished = false;
      for await (const message of readSse(name, response, call.signal)) {
        if (message.data === '[DONE]') {
          finished = true;
          break;
        }
        const chunk = asRecord(parseData(name, message.data));
        throwIfInlineError(name, chunk);
        const choice = asRecord(Array.isArray(chunk.choices) ? chunk.choices[0] : undefined);
        const content = asRecord(choice.delta).content;
        if (typeof content === 'string' && content !== '') yield { type: 'delta', text: content };
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
        // Usage rides on a last chunk with empty `choices`; Groq also puts it in `x_groq.usage`.
        const usage = readUsage(chunk.usage) ?? readUsage(asRecord(chunk.x_groq).usage);
        if (usage) {
          const cost = readCost(chunk.usage);
          yield { type: 'usage', usage, ...(cost === undefined ? {} : { costUsd: cost }) };
        }
      }
      if (!finished) throw truncated(name);
      yield { type: 'done', finishReason };
    },

    /** `POST /embeddings` (OpenAI, Mistral, Together...): `data[i].embedding`, `usage.prompt_tokens`. */
    async embed(request: EmbedRequest, call: CallOptions = {}): Promise<EmbedResult> {
      const response = await postJson({
        provider: name,
        url: embeddingsUrl,
        headers,
        body: { model: request.model, input: request.input, encoding_format: 'float' },
        signal: call.signal,
      });
      const json = asRecord(await readJson(name, response, call.signal));
      throwIfInlineError(name, json);
      const data = (Array.isArray(json.data) ? json.data : []).map(asRecord);
      // Each item says which input it embeds; the order of `data` is not promised.
      data.sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
      const usage = asRecord(json.usage);
      return {
        vectors: checkedVectors(
          name,
          data.map((d) => d.embedding),
          request.input.length,
        ),
        usage: {
          inputTokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0,
          outputTokens: 0,
        },
        provider: name,
        model: typeof json.model === 'string' ? json.model : request.model,
      };
    },
  };
}

function readUsage(value: unknown): Usage | undefined {
  const usage = asRecord(value);
  if (typeof usage.prompt_tokens !== 'number' && typeof usage.completion_tokens !== 'number') {
    return undefined;
  }
  return {
    inputTokens: typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0,
    outputTokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
  };
}

function readCost(value: unknown): number | undefined {
  const cost = asRecord(value).cost;
  return typeof cost === 'number' ? cost : undefined;
}

/** OpenRouter reports upstream failures inside a 200 body or a stream frame as `{error}`. */
function throwIfInlineError(provider: string, json: Record<string, unknown>): void {
  if (json.error === undefined || json.error === null) return;
  const error = asRecord(json.error);
  const code = typeof error.code === 'number' ? error.code : undefined;
  throw new ProviderError({
    provider,
    kind: code !== undefined && code === 429 ? 'rate_limited' : 'server',
    ...(code === undefined ? {} : { status: code }),
    message: `${provider} reported an error: ${typeof error.message === 'string' ? error.message : 'unknown'}`,
  });
}
