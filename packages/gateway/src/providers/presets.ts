import type { ProviderAdapter } from '../types.ts';
import { createOpenAiCompatible } from './openai-compatible.ts';
import { openAiTranscriber } from './openai-transcribe.ts';

/** The presets that serve `/audio/transcriptions` (Whisper and its successors). */
const TRANSCRIBING: ReadonlySet<OpenAiCompatibleName> = new Set(['openai', 'groq']);

/** Public endpoints of the OpenAI-compatible family, as each provider documents them. */
export const OPENAI_COMPATIBLE_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  mistral: 'https://api.mistral.ai/v1',
  together: 'https://api.together.xyz/v1',
  openrouter: 'https://openrouter.ai/api/v1',
} as const;

export type OpenAiCompatibleName = keyof typeof OPENAI_COMPATIBLE_BASE_URLS;

export function createOpenAiPreset(
  name: OpenAiCompatibleName,
  settings: { apiKey: string; baseUrl?: string | undefined },
): ProviderAdapter {
  const baseUrl = settings.baseUrl ?? OPENAI_COMPATIBLE_BASE_URLS[name];
  const adapter = createOpenAiCompatible({
    name,
    apiKey: settings.apiKey,
    baseUrl,
    // Mistral validates request fields strictly and sends usage on its last chunk anyway.
    streamUsageOption: name !== 'mistral',
  });
  if (!TRANSCRIBING.has(name)) return adapter;
  return { ...adapter, transcribe: openAiTranscriber({ name, apiKey: settings.apiKey, baseUrl }) };
}
