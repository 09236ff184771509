export type { Attempt } from './attempt.ts';
export {
  type Admission,
  type BreakerOptions,
  type BreakerState,
  type CircuitBreaker,
  type CircuitOpened,
  createCircuitBreaker,
  DEFAULT_BREAKER_OPTIONS,
  type ProviderHealth,
} from './breaker.ts';
export { parseRetryAfter } from './classify.ts';
export {
  DEFAULT_ROUTES,
  type GatewayConfig,
  gatewayConfigSchema,
  KEYED_PROVIDERS,
  type KeyedProviderName,
  PROVIDER_NAMES,
  type ProviderName,
  type ProviderSettings,
  providerSettingsSchema,
  routesSchema,
  routeTargetSchema,
} from './config.ts';
export {
  hashingEmbedding,
  OFFLINE_EMBED_DIMENSIONS,
  OFFLINE_EMBED_MODEL,
} from './embed.ts';
export {
  ALL_PROVIDERS_FAILED,
  GATEWAY_DEADLINE_EXCEEDED,
  GatewayError,
  PROVIDER_REJECTED_REQUEST,
  UNKNOWN_ROUTE,
} from './gateway-error.ts';
export {
  isProviderError,
  ProviderError,
  type ProviderErrorKind,
} from './provider-error.ts';
export { createAnthropic } from './providers/anthropic.ts';
export { createCohere } from './providers/cohere.ts';
export { createGemini } from './providers/gemini.ts';
export { createOffline, OFFLINE_MODEL } from './providers/offline.ts';
export { createOpenAiCompatible } from './providers/openai-compatible.ts';
export { createOpenAiPreset, OPENAI_COMPATIBLE_BASE_URLS } from './providers/presets.ts';
export {
  createProviderRegistry,
  type ProviderRegistry,
  type ProviderStatus,
  type RegistryOptions,
} from './registry.ts';
export {
  createGatewayRouter,
  type GatewayCallOptions,
  type GatewayChatResult,
  type GatewayEmbedResult,
  type GatewayRouter,
  type ProviderReport,
} from './router.ts';
export { DEFAULT_ROUTER_OPTIONS, type RouterOptions } from './router-options.ts';
export type { GatewayStream, GatewayStreamEvent, StreamOutcome } from './router-stream.ts';
export { estimatePromptTokens, estimateTokens } from './tokens.ts';
export type {
  CallOptions,
  ChatMessage,
  ChatRequest,
  ChatResult,
  EmbedRequest,
  EmbedResult,
  ProviderAdapter,
  RouteEmbedRequest,
  RouteRequest,
  RouteTarget,
  StreamEvent,
  Usage,
} from './types.ts';
