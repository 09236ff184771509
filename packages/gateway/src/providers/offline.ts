import { estimatedEmbedUsage, hashingEmbedding } from '../embed.ts';
import { estimatePromptTokens, estimateTokens } from '../tokens.ts';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  EmbedRequest,
  EmbedResult,
  ProviderAdapter,
  StreamEvent,
} from '../types.ts';
import { offlineTaskReply } from './offline-tasks.ts';

export const OFFLINE_MODEL = 'phoenix-offline-1';
const DELTA_COUNT = 4;

/**
 * Answers without a network so the hub works with no keys: a short, structured reply
 * built from the last user message. The same request always gets the same answer.
 */
export function createOffline(): ProviderAdapter {
  const name = 'offline';
  return {
    name,
    async chat(request: ChatRequest, call: CallOptions = {}): Promise<ChatResult> {
      call.signal?.throwIfAborted();
      const text = offlineReply(request);
      return {
        text,
        usage: {
          inputTokens: estimatePromptTokens(request.messages),
          outputTokens: estimateTokens(text),
        },
        finishReason: 'stop',
        provider: name,
        model: request.model,
      };
    },

    async *stream(request: ChatRequest, call: CallOptions = {}): AsyncGenerator<StreamEvent> {
      const text = offlineReply(request);
      for (const piece of split(text, DELTA_COUNT)) {
        call.signal?.throwIfAborted();
        yield { type: 'delta', text: piece };
        // A turn of the event loop between deltas, as a network would give.
        await new Promise((resolve) => setImmediate(resolve));
      }
      call.signal?.throwIfAborted();
      yield {
        type: 'usage',
        usage: {
          inputTokens: estimatePromptTokens(request.messages),
          outputTokens: estimateTokens(text),
        },
      };
      yield { type: 'done', finishReason: 'stop' };
    },

    /** A hashing embedding (see `hashingEmbedding`): deterministic, no model, no network. */
    async embed(request: EmbedRequest, call: CallOptions = {}): Promise<EmbedResult> {
      call.signal?.throwIfAborted();
      return {
        vectors: request.input.map((text) => hashingEmbedding(text)),
        usage: estimatedEmbedUsage(request.input),
        provider: name,
        model: request.model,
      };
    },
  };
}

export function offlineReply(request: Pick<ChatRequest, 'messages' | 'maxTokens'>): string {
  // A prompt that names a task the offline provider knows gets that task's answer.
  const task = offlineTaskReply(request.messages);
  if (task !== null) return task;
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  const question = (last?.content ?? '').replace(/\s+/g, ' ').trim();
  const topic = topicOf(question);
  const text = question
    ? [
        `Here is a short answer about ${topic} (offline mode: no AI provider is configured).`,
        '',
        `1. What you asked: "${truncate(question, 160)}"`,
        `2. A first step: write down what a good outcome for ${topic} looks like.`,
        '3. Next: break it into one small action you can do today.',
        '4. Then: review the result and adjust.',
      ].join('\n')
    : 'Offline mode: no AI provider is configured. Ask a question to get a structured answer.';
  // Honour the output budget as a real model would, at about four characters a token.
  return request.maxTokens === undefined ? text : text.slice(0, request.maxTokens * 4);
}

const STOP_WORDS = new Set(
  'a an and are can could do does for how i is it me my of on please should the to what when where which who why will with would you your'.split(
    ' ',
  ),
);

function topicOf(question: string): string {
  const words = question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w));
  return words.length ? words.slice(0, 4).join(' ') : 'your question';
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
