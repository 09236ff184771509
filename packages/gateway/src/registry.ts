import {
  DEFAULT_ROUTES,
  type GatewayConfig,
  gatewayConfigSchema,
  type KeyedProviderName,
  type ProviderSettings,
} from './config.ts';
import { createAnthropic } from './providers/anthropic.ts';
import { createCohere } from './providers/cohere.ts';
import { createDeepgram } from './providers/deepgram.ts';
import { createGemini } from './providers/gemini.ts';
import { createOffline } from './providers/offline.ts';
import { createOpenAiPreset, type OpenAiCompatibleName } from './providers/presets.ts';
import type { ProviderAdapter, RouteTarget } from './types.ts';

export interface ProviderStatus {
  name: string;
  available: boolean;
  /** Why a provider cannot be called, e.g. its key is missing. */
  reason?: string;
}

export interface ProviderRegistry {
  /** The adapter for a provider, or undefined when it is skipped or unknown. */
  get(name: string): ProviderAdapter | undefined;
  /** Why a provider is not callable; undefined when it is. */
  skipReason(name: string): string | undefined;
  route(name: string): readonly RouteTarget[] | undefined;
  readonly routes: Readonly<Record<string, readonly RouteTarget[]>>;
  providers(): ProviderStatus[];
}

type Factory = (settings: { apiKey: string; baseUrl?: string | undefined }) => ProviderAdapter;

const preset =
  (name: OpenAiCompatibleName): Factory =>
  (settings) =>
    createOpenAiPreset(name, settings);

const FACTORIES: Record<KeyedProviderName, Factory> = {
  openai: preset('openai'),
  groq: preset('groq'),
  deepseek: preset('deepseek'),
  mistral: preset('mistral'),
  together: preset('together'),
  openrouter: preset('openrouter'),
  anthropic: createAnthropic,
  gemini: createGemini,
  cohere: createCohere,
  deepgram: createDeepgram,
};

export interface RegistryOptions {
  /** Adapters to use instead of (or beside) the built-in ones, by their name. */
  adapters?: readonly ProviderAdapter[];
}

/**
 * Builds every adapter the configuration can call. A provider without a key is kept
 * out, with a reason, so no request ever leaves without credentials.
 */
export function createProviderRegistry(
  config: GatewayConfig = {},
  options: RegistryOptions = {},
): ProviderRegistry {
  const parsed = gatewayConfigSchema.parse(config);
  const adapters = new Map<string, ProviderAdapter>();
  const skipped = new Map<string, string>();

  for (const [name, factory] of Object.entries(FACTORIES) as [KeyedProviderName, Factory][]) {
    const settings: ProviderSettings = parsed.providers[name] ?? {};
    if (!settings.apiKey) {
      skipped.set(name, `no API key configured for ${name}`);
      continue;
    }
    adapters.set(name, factory({ apiKey: settings.apiKey, baseUrl: settings.baseUrl }));
  }
  adapters.set('offline', createOffline());
  for (const adapter of options.adapters ?? []) {
    adapters.set(adapter.name, adapter);
    skipped.delete(adapter.name);
  }

  const routes = { ...DEFAULT_ROUTES, ...parsed.routes };
  return {
    routes,
    get: (name) => adapters.get(name),
    skipReason: (name) =>
      adapters.has(name) ? undefined : (skipped.get(name) ?? `unknown provider ${name}`),
    route: (name) => routes[name],
    providers: () => [
      ...[...adapters.keys()].map((name) => ({ name, available: true })),
      ...[...skipped].map(([name, reason]) => ({ name, available: false, reason })),
    ],
  };
}
