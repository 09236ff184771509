export { ConfigError, loadConfig } from './load.ts';
export type { Config, Environment, LogLevel } from './schema.ts';
export { KEYED_PROVIDERS, PROVIDER_NAMES } from './schema.ts';
