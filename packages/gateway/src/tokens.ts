import type { ChatMessage } from './types.ts';

/** The usual rule of thumb (about four characters a token) for when a provider reports nothing. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return estimateTokens(messages.map((m) => m.content).join('\n'));
}
