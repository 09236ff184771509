import {
  createApiKeyManager,
  createLimit,
  createLoginThrottle,
  createResetTokenManager,
  createSessionManager,
} from '@phoenix/auth';
import type { Config } from '@phoenix/config';
import type { Database, Kysely } from '@phoenix/db';
import type { Kv } from '@phoenix/kv';
import type { Logger } from 'pino';
import type { AppDeps } from './context.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createMetrics } from './metrics.ts';

export interface BaseDeps {
  config: Config;
  db: Kysely<Database>;
  kv: Kv;
  log: Logger;
  mailer?: Mailer;
}

/** Builds every long-lived service the procedures use, from the process's connections. */
export function createAppDeps(base: BaseDeps): AppDeps {
  const { config, db, kv, log } = base;
  const { auth } = config;
  return {
    config,
    db,
    kv,
    log,
    metrics: createMetrics(),
    mailer: base.mailer ?? createMailer(config, log),
    auth: {
      sessions: createSessionManager(db, auth.session),
      apiKeys: createApiKeyManager(db),
      resetTokens: createResetTokenManager(db, auth.passwordResetTtlMs),
      loginThrottle: createLoginThrottle(kv, auth.login),
      registerLimit: createLimit(kv, {
        name: 'register:ip',
        points: auth.registerPerIpPerHour,
        durationSeconds: 3600,
      }),
      resetRequestLimit: createLimit(kv, {
        name: 'reset-request',
        points: auth.resetRequestsPerHour,
        durationSeconds: 3600,
      }),
    },
  };
}
