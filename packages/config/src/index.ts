export { ConfigError, loadConfig } from './load.ts';
export type { Config, Environment, LogLevel } from './schema.ts';
