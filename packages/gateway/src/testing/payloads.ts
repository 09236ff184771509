/** Provider payloads shaped as the real APIs send them, for msw handlers. */
import { frame } from './sse.ts';

export const openAiCompletion = (text: string, model = 'gpt-4o-mini-2024-07-18') => ({
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_06737a9306',
});

const chunk = (delta: Record<string, unknown>, finish: string | null, extra = {}) => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1741570283,
  model: 'gpt-4o-mini-2024-07-18',
  system_fingerprint: 'fp_06737a9306',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...extra,
});

/** OpenAI with `stream_options.include_usage`: usage on a last chunk whose `choices` is empty. */
export const openAiStream = (pieces: readonly string[]) => [
  frame(chunk({ role: 'assistant', content: '', refusal: null }, null, { usage: null })),
  ...pieces.map((p) => frame(chunk({ content: p }, null, { usage: null }))),
  frame(chunk({}, 'stop', { usage: null })),
  frame({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1741570283,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [],
    usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
  }),
  frame('[DONE]'),
];

/** Groq: usage in `x_groq.usage` on the chunk that carries the finish reason. */
export const groqStream = (pieces: readonly string[]) => [
  frame(chunk({ role: 'assistant', content: '' }, null, { x_groq: { id: 'req_01jn' } })),
  ...pieces.map((p) => frame(chunk({ content: p }, null))),
  frame(
    chunk({}, 'stop', {
      x_groq: {
        id: 'req_01jn',
        usage: {
          queue_time: 0.021,
          prompt_tokens: 40,
          prompt_time: 0.0021,
          completion_tokens: 3,
          completion_time: 0.012,
          total_tokens: 43,
          total_time: 0.0141,
        },
      },
    }),
  ),
  frame('[DONE]'),
];

/** OpenRouter: keep-alive comments, and `usage.cost` in USD on the last chunk. */
export const openRouterStream = (pieces: readonly string[]) => [
  ': OPENROUTER PROCESSING\n\n',
  ...pieces.map((p) =>
    frame({ ...chunk({ role: 'assistant', content: p }, null), provider: 'OpenAI' }),
  ),
  frame({ ...chunk({ role: 'assistant', content: '' }, 'stop'), provider: 'OpenAI' }),
  frame({
    ...chunk({ role: 'assistant', content: '' }, null),
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, cost: 0.0000231 },
  }),
  frame('[DONE]'),
];

export const anthropicMessage = (text: string) => ({
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 6 },
});

export const anthropicStream = (pieces: readonly string[], options: { end?: boolean } = {}) => [
  frame(
    {
      type: 'message_start',
      message: {
        id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-3-5-haiku-20241022',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    },
    'message_start',
  ),
  frame(
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    'content_block_start',
  ),
  frame({ type: 'ping' }, 'ping'),
  ...pieces.map((text) =>
    frame(
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      'content_block_delta',
    ),
  ),
  ...(options.end === false
    ? []
    : [
        frame({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
        frame(
          {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: 15 },
          },
          'message_delta',
        ),
        frame({ type: 'message_stop' }, 'message_stop'),
      ]),
];

export const geminiResponse = (text: string) => ({
  candidates: [
    {
      content: { parts: [{ text }], role: 'model' },
      finishReason: 'STOP',
      avgLogprobs: -0.12,
    },
  ],
  usageMetadata: {
    promptTokenCount: 8,
    candidatesTokenCount: 7,
    totalTokenCount: 15,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }],
  },
  modelVersion: 'gemini-2.0-flash',
  responseId: 'mcsGaKbHA8Wmz7IPzeqE8AQ',
});

/** Gemini `alt=sse`: CRLF frames, no `[DONE]`, usage complete on the last chunk. */
export const geminiStream = (pieces: readonly string[]) =>
  pieces.map((text, i) => {
    const last = i === pieces.length - 1;
    const payload = {
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          ...(last ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
      ],
      usageMetadata: last
        ? { promptTokenCount: 8, candidatesTokenCount: 4, totalTokenCount: 12 }
        : { promptTokenCount: 8, totalTokenCount: 8 },
      modelVersion: 'gemini-2.0-flash',
    };
    return `data: ${JSON.stringify(payload)}\r\n\r\n`;
  });

export const cohereResponse = (text: string) => ({
  id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
  message: { role: 'assistant', content: [{ type: 'text', text }] },
  finish_reason: 'COMPLETE',
  usage: {
    billed_units: { input_tokens: 5, output_tokens: 9 },
    tokens: { input_tokens: 71, output_tokens: 9 },
  },
});

export const cohereStream = (pieces: readonly string[]) => [
  frame(
    {
      id: '29f14a5a-11de-4cae-9800-25e4747408ea',
      type: 'message-start',
      delta: {
        message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
      },
    },
    'message-start',
  ),
  frame(
    {
      type: 'content-start',
      index: 0,
      delta: { message: { content: { type: 'text', text: '' } } },
    },
    'content-start',
  ),
  ...pieces.map((text) =>
    frame(
      { type: 'content-delta', index: 0, delta: { message: { content: { text } } } },
      'content-delta',
    ),
  ),
  frame({ type: 'content-end', index: 0 }, 'content-end'),
  frame(
    {
      type: 'message-end',
      delta: {
        finish_reason: 'COMPLETE',
        usage: {
          billed_units: { input_tokens: 3, output_tokens: 2 },
          tokens: { input_tokens: 69, output_tokens: 2 },
        },
      },
    },
    'message-end',
  ),
];

export const openAiError = (message: string, type: string, code: string | null = null) => ({
  error: { message, type, param: null, code },
});

/** OpenAI `POST /embeddings` (Mistral answers the same shape with its own ids). */
export const openAiEmbeddings = (vectors: number[][], model = 'text-embedding-3-small') => ({
  object: 'list',
  data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
  model,
  usage: { prompt_tokens: 8, total_tokens: 8 },
});

/** Cohere Embed v2 with `embedding_types: ["float"]`. */
export const cohereEmbeddings = (vectors: number[][], texts: string[] = []) => ({
  id: 'da6e531f-54c6-4a73-bf92-f60566d8d753',
  embeddings: { float: vectors },
  texts,
  meta: {
    api_version: { version: '2' },
    billed_units: { input_tokens: 12 },
  },
  response_type: 'embeddings_by_type',
});

/** Gemini `:batchEmbedContents`: one `values` list per request, no usage. */
export const geminiEmbeddings = (vectors: number[][]) => ({
  embeddings: vectors.map((values) => ({ values })),
});
