export { ConfigError, loadConfig } from './load.ts';
export type { Config, Environment, LogLevel, PackConfig, PlanConfig } from './schema.ts';
export { KEYED_PROVIDERS, PAYMENT_PROVIDERS, PROVIDER_NAMES } from './schema.ts';
