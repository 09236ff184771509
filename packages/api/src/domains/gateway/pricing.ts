import type { Config } from '@phoenix/config';

/**
 * Credits per million tokens. 1 credit = US$0.0001, so the defaults mirror list prices:
 * gpt-4o-mini at $0.15 / $0.60 per million tokens is 1,500 / 6,000 credits.
 */
export interface Price {
  input: number;
  output: number;
}

const DEFAULT_PRICES: Record<string, Price> = {
  'openai/gpt-4o-mini': { input: 1_500, output: 6_000 },
  'openai/gpt-4o': { input: 25_000, output: 100_000 },
  'anthropic/claude-3-5-haiku-latest': { input: 8_000, output: 40_000 },
  'anthropic/claude-sonnet-4-5': { input: 30_000, output: 150_000 },
  'gemini/gemini-2.0-flash': { input: 1_000, output: 4_000 },
  'gemini/gemini-2.0-flash-lite': { input: 750, output: 3_000 },
  'mistral/mistral-small-latest': { input: 1_000, output: 3_000 },
  'cohere/command-r-08-2024': { input: 1_500, output: 6_000 },
  'groq/llama-3.1-8b-instant': { input: 500, output: 800 },
  'deepseek/deepseek-chat': { input: 2_700, output: 11_000 },
  // Embeddings: input tokens only.
  'openai/text-embedding-3-small': { input: 200, output: 0 },
  'cohere/embed-v4.0': { input: 1_200, output: 0 },
  'gemini/gemini-embedding-001': { input: 1_500, output: 0 },
  'mistral/mistral-embed': { input: 1_000, output: 0 },
};

/** What an unlisted paid model costs: deliberately high, so a missing price never undercharges. */
const UNKNOWN_MODEL_PRICE: Price = { input: 50_000, output: 150_000 };

export type PriceTable = (provider: string, model: string) => Price;

export function createPriceTable(config: Pick<Config, 'gateway'>): PriceTable {
  const prices = { ...DEFAULT_PRICES, ...config.gateway.prices };
  return (provider, model) =>
    prices[`${provider}/${model}`] ??
    (provider === 'offline' ? { input: 0, output: 0 } : UNKNOWN_MODEL_PRICE);
}

/** Whole credits, rounded up: a call that used tokens never costs nothing on a paid model. */
export function costOf(
  price: Price,
  tokens: { inputTokens: number; outputTokens: number },
): number {
  return Math.ceil(
    (tokens.inputTokens * price.input + tokens.outputTokens * price.output) / 1_000_000,
  );
}

/**
 * Prompt tokens for a reservation: a deliberate over-estimate (3 characters a token plus
 * per-message overhead), because a reservation must cover what the provider reports.
 */
export function reservationInputTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 3) + 8, 0);
}
