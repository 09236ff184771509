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
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[\w-]+$/, 'expected a cookie name')
    .default('phoenix_session'),
  SESSION_IDLE_TIMEOUT_SECONDS: positiveInt(10 * 86_400),
  SESSION_ABSOLUTE_LIFETIME_SECONDS: positiveInt(30 * 86_400),
  SESSION_TOUCH_INTERVAL_SECONDS: positiveInt(3_600),
  PASSWORD_RESET_TTL_SECONDS: positiveInt(30 * 60),
  AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES: positiveInt(5),
  AUTH_LOGIN_LOCK_SECONDS: positiveInt(15 * 60),
  AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: positiveInt(100),
  AUTH_REGISTER_PER_IP_PER_HOUR: positiveInt(20),
  AUTH_RESET_REQUESTS_PER_HOUR: positiveInt(5),
  SMTP_URL: optional(url(['smtp', 'smtps'])),
  MAIL_FROM: z.string().min(3).default('Phoenix Hub <no-reply@phoenix.local>'),
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
  auth: {
    cookieName: env.SESSION_COOKIE_NAME,
    session: {
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
      absoluteLifetimeMs: env.SESSION_ABSOLUTE_LIFETIME_SECONDS * 1000,
      touchIntervalMs: env.SESSION_TOUCH_INTERVAL_SECONDS * 1000,
    },
    passwordResetTtlMs: env.PASSWORD_RESET_TTL_SECONDS * 1000,
    login: {
      maxConsecutiveFailures: env.AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES,
      lockSeconds: env.AUTH_LOGIN_LOCK_SECONDS,
      maxFailuresPerIpPerDay: env.AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY,
    },
    registerPerIpPerHour: env.AUTH_REGISTER_PER_IP_PER_HOUR,
    resetRequestsPerHour: env.AUTH_RESET_REQUESTS_PER_HOUR,
  },
  mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
}));

export type Config = z.output<typeof configSchema>;
