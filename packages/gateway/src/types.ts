/** One turn of a conversation, in the shape every provider family can be mapped from. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

/** A request as the router takes it: the route decides the model. */
export type RouteRequest = Omit<ChatRequest, 'model'>;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResult {
  text: string;
  usage: Usage;
  finishReason: string | null;
  provider: string;
  model: string;
  /** Cost in USD when the provider reports one itself (OpenRouter `usage.cost`). */
  costUsd?: number;
}

export type StreamEvent =
  | { type: 'delta'; text: string }
  | {
      type: 'usage';
      usage: Usage;
      costUsd?: number /** Counted by us: the provider sent none. */;
      estimated?: boolean;
    }
  | { type: 'done'; finishReason: string | null };

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ProviderAdapter {
  readonly name: string;
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  /** Throws before its first event when the provider refuses; events follow in wire order. */
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamEvent>;
  /** Text embeddings; absent when the provider family has no embeddings API. */
  embed?(request: EmbedRequest, options?: CallOptions): Promise<EmbedResult>;
}

/**
 * Texts to embed. `purpose` tells providers that distinguish them (Cohere's `input_type`,
 * Gemini's `taskType`) whether a text is stored to be found or is the query finding it.
 */
export interface EmbedRequest {
  model: string;
  input: string[];
  purpose?: 'document' | 'query';
}

/** A route's embed request: the route decides the model. */
export type RouteEmbedRequest = Omit<EmbedRequest, 'model'>;

export interface EmbedResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens as the provider reported them (or counted by us when it reports none). */
  usage: Usage;
  provider: string;
  model: string;
}

/** Where a route sends a request: one provider and the model to ask it for. */
export interface RouteTarget {
  provider: string;
  model: string;
}
