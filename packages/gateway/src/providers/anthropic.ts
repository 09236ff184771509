import { asRecord } from '../classify.ts';
import { joinUrl, postForStream, postJson, readJson } from '../http.ts';
import { ProviderError, type ProviderErrorKind } from '../provider-error.ts';
import { parseData, readSse, truncated } from '../sse.ts';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ProviderAdapter,
  StreamEvent,
} from '../types.ts';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** The Messages API requires `max_tokens`; this is what a request that names none gets. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

export interface AnthropicOptions {
  apiKey: string;
  baseUrl?: string | undefined;
}

export function createAnthropic(options: AnthropicOptions): ProviderAdapter {
  const name = 'anthropic';
  const url = joinUrl(options.baseUrl ?? ANTHROPIC_BASE_URL, '/v1/messages');
  const headers = { 'x-api-key': options.apiKey, 'anthropic-version': '2023-06-01' };

  const body = (request: ChatRequest, stream: boolean) => {
    // System turns are a top-level field here, not a message role.
    const system = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    return {
      model: request.model,
      max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: request.messages
        .filter((m) => m.role !== 'system')
        .map((m) => ({ role: m.role, content: m.content })),
      ...(system ? { system } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
      ...(stream ? { stream: true } : {}),
    };
  };

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
      const blocks = Array.isArray(json.content) ? json.content.map(asRecord) : [];
      const usage = asRecord(json.usage);
      return {
        text: blocks
          .filter((b) => b.type === 'text' && typeof b.text === 'string')
          .map((b) => b.text)
          .join(''),
        usage: { inputTokens: num(usage.input_tokens), outputTokens: num(usage.output_tokens) },
        finishReason: typeof json.stop_reason === 'string' ? json.stop_reason : null,
        provider: name,
        model: typeof json.model === 'string' ? json.model : request.model,
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
      let inputTokens = 0;
      let outputTokens = 0;
      let finishReason: string | null = null;
      let finished = false;
      for await (const message of readSse(name, response, call.signal)) {
        const event = asRecord(parseData(name, message.data));
        switch (event.type) {
          case 'message_start':
            inputTokens = num(asRecord(asRecord(event.message).usage).input_tokens);
            break;
          case 'content_block_delta': {
            const delta = asRecord(event.delta);
            if (
              delta.type === 'text_delta' &&
              typeof delta.text === 'string' &&
              delta.text !== ''
            ) {
              yield { type: 'delta', text: delta.text };
            }
            break;
          }
          case 'message_delta': {
            // `output_tokens` here is cumulative for the whole message.
            outputTokens = num(asRecord(event.usage).output_tokens);
            const stop = asRecord(event.delta).stop_reason;
            if (typeof stop === 'string') finishReason = stop;
            break;
          }
          case 'message_stop':
            finished = true;
            break;
          case 'error':
            throw streamError(asRecord(event.error));
          default:
            // ping, content_block_start/stop carry nothing we need.
            break;
        }
        if (finished) break;
      }
      if (!finished) throw truncated(name);
      yield { type: 'usage', usage: { inputTokens, outputTokens } };
      yield { type: 'done', finishReason };
    },
  };
}

const STREAM_ERROR_KINDS: Record<string, ProviderErrorKind> = {
  overloaded_error: 'server',
  api_error: 'server',
  rate_limit_error: 'rate_limited',
  invalid_request_error: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'auth',
  not_found_error: 'not_found',
};

function streamError(error: Record<string, unknown>): ProviderError {
  const type = typeof error.type === 'string' ? error.type : 'unknown';
  return new ProviderError({
    provider: 'anthropic',
    kind: STREAM_ERROR_KINDS[type] ?? 'unknown',
    message: `anthropic stream error ${type}: ${typeof error.message === 'string' ? error.message : ''}`,
  });
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
