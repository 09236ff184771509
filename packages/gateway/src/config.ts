import { KEYED_PROVIDERS, PROVIDER_NAMES } from '@phoenix/config';
import { z } from 'zod';
import { OFFLINE_EMBED_MODEL } from './embed.ts';
import { OFFLINE_MODEL } from './providers/offline.ts';
import type { RouteTarget } from './types.ts';

// The provider list lives with the environment schema, which validates GATEWAY_ROUTES.
export { KEYED_PROVIDERS, PROVIDER_NAMES } from '@phoenix/config';
export type KeyedProviderName = (typeof KEYED_PROVIDERS)[number];
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const providerSettingsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url().optional(),
});
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export const routeTargetSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  model: z.string().min(1),
});

export const routesSchema = z.record(z.string().min(1), z.array(routeTargetSchema).min(1));

/**
 * The gateway's configuration. The config package parses `GATEWAY_ROUTES` (JSON) with
 * `routesSchema` and provider keys from the environment, then hands the result here.
 */
export const gatewayConfigSchema = z.object({
  providers: z
    .object(
      Object.fromEntries(
        KEYED_PROVIDERS.map((name) => [name, providerSettingsSchema.optional()]),
      ) as {
        [K in KeyedProviderName]: z.ZodOptional<typeof providerSettingsSchema>;
      },
    )
    .strict()
    .default({}),
  routes: routesSchema.default({}),
});
export type GatewayConfig = z.input<typeof gatewayConfigSchema>;

const offline: RouteTarget = { provider: 'offline', model: OFFLINE_MODEL };

/**
 * Routes used when the configuration names none of its own. `chat.default` and
 * `chat.fast` end with the offline provider, so the hub answers with no keys at all.
 */
export const DEFAULT_ROUTES: Readonly<Record<string, readonly RouteTarget[]>> = {
  'chat.default': [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    { provider: 'gemini', model: 'gemini-2.0-flash' },
    { provider: 'mistral', model: 'mistral-small-latest' },
    { provider: 'cohere', model: 'command-r-08-2024' },
    offline,
  ],
  'chat.fast': [
    { provider: 'groq', model: 'llama-3.1-8b-instant' },
    { provider: 'gemini', model: 'gemini-2.0-flash-lite' },
    { provider: 'openai', model: 'gpt-4o-mini' },
    offline,
  ],
  // Luna's coach: a capable model first, offline last (Luna degrades further on its own).
  'luna.chat': [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    offline,
  ],
  // Embeddings: each family's small model, the offline hashing embedding last. Vectors of
  // different models are never compared (callers keep the model beside each vector).
  'embed.default': [
    { provider: 'openai', model: 'text-embedding-3-small' },
    { provider: 'cohere', model: 'embed-v4.0' },
    { provider: 'gemini', model: 'gemini-embedding-001' },
    { provider: 'mistral', model: 'mistral-embed' },
    { provider: 'offline', model: OFFLINE_EMBED_MODEL },
  ],
  // Champion training: analysis (diarization, patterns, scenarios, scoring) and the
  // prospect's role-play answers. Offline last, so the flow runs with no keys.
  'champion.analyze': [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    { provider: 'gemini', model: 'gemini-2.0-flash' },
    offline,
  ],
  'champion.roleplay': [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    offline,
  ],
  'chat.cheap': [
    { provider: 'deepseek', model: 'deepseek-chat' },
    { provider: 'together', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
    { provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct' },
    offline,
  ],
};
