import { z } from 'zod';
import { boolean, csv, optional, port, positiveInt, url } from './parsers.ts';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Every environment variable the hub reads, in one place. Keys are the variable
 * names so a validation error names the variable the operator has to fix.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: optional(url(['http', 'https'])),
  CORS_ORIGINS: csv,
  TRUSTED_PROXIES: csv,
  BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  DATABASE_POOL_MAX: positiveInt(10),
  DATA_DIR: z.string().min(1).default('.phoenix/data'),
  REDIS_URL: optional(url(['redis', 'rediss'])),
  KV_PREFIX: z.string().default('phx:'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_REQUESTS: boolean(true),
});

export type Environment = z.input<typeof environmentSchema>;

export const configSchema = environmentSchema.transform((env) => ({
  env: env.NODE_ENV,
  http: {
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    corsOrigins: env.CORS_ORIGINS,
    trustedProxies: env.TRUSTED_PROXIES,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  },
  database: {
    url: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
    dataDir: env.DATA_DIR,
  },
  kv: { redisUrl: env.REDIS_URL, prefix: env.KV_PREFIX },
  log: { level: env.LOG_LEVEL, requests: env.LOG_REQUESTS },
}));

export type Config = z.output<typeof configSchema>;
