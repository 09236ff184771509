import {
  createApiKeyManager,
  createLimit,
  createLoginThrottle,
  createResetTokenManager,
  createSessionManager,
} from '@phoenix/auth';
import type { Config } from '@phoenix/config';
import type { Database, Kysely } from '@phoenix/db';
import {
  createGatewayRouter,
  createProviderRegistry,
  type ProviderAdapter,
} from '@phoenix/gateway';
import type { Kv } from '@phoenix/kv';
import type { Logger } from 'pino';
import type { AppDeps, Clock } from './context.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createMetrics } from './metrics.ts';
import { createEvents } from './platform/events/index.ts';
import {
  createJobs,
  type JobDefinition,
  type JobStore,
  registerJobMetrics,
} from './platform/jobs/index.ts';
import type { PersonalDataDeclaration } from './platform/personal-data/index.ts';
import { raiseCircuitOpenAlert } from './platform/providers/circuit-alert.ts';
import { registerGatewayMetrics } from './platform/providers/metrics.ts';
import { createStorage, type Storage } from './platform/storage/index.ts';

export interface BaseDeps {
  config: Config;
  db: Kysely<Database>;
  kv: Kv;
  log: Logger;
  mailer?: Mailer;
  /** Extra provider adapters (tests, benchmarks): they replace built-ins of the same name. */
  providerAdapters?: readonly ProviderAdapter[];
  /** Where pg-boss keeps the jobs; without one the queue cannot start (tools that send none). */
  jobStore?: JobStore;
  /** Job kinds beyond the hub's own (tests, benchmarks). */
  extraJobs?: readonly JobDefinition[];
  /** The time rules read (Luna's energy regeneration); the system clock by default. */
  clock?: Clock;
  /** Where files go; the configured storage by default. */
  storage?: Storage;
}

/**
 * Builds every long-lived service the procedures use, from the process's connections.
 * Callers use `createAppDeps` (root.ts), which adds the hub's job kinds: the core names no domain.
 */
export function buildAppDeps(
  base: BaseDeps,
  hub: { jobs: readonly JobDefinition[]; personalData: readonly PersonalDataDeclaration[] },
): AppDeps {
  const hubJobs = hub.jobs;
  const { config, db, kv, log } = base;
  const metrics = createMetrics();
  const jobs = createJobs({ store: base.jobStore, db, config: config.jobs, log });
  jobs.register(...hubJobs, ...(base.extraJobs ?? []));
  const events = createEvents(jobs);
  registerJobMetrics(metrics.registry, db, jobs);
  const registry = createProviderRegistry(
    {
      providers: config.gateway.providers,
      ...(config.gateway.routes ? { routes: config.gateway.routes } : {}),
    },
    { adapters: base.providerAdapters ?? [] },
  );
  const router = createGatewayRouter({
    registry,
    kv,
    options: config.gateway.retry,
    onCircuitOpen: (event) => {
      raiseCircuitOpenAlert(db, events, event).catch((error: unknown) =>
        log.warn({ err: error, provider: event.provider }, 'could not raise the circuit alert'),
      );
    },
  });
  registerGatewayMetrics(metrics.registry, router);
  return {
    config,
    db,
    kv,
    log,
    metrics,
    mailer: base.mailer ?? createMailer(config, log),
    jobs,
    events,
    clock: base.clock ?? { now: () => Date.now() },
    storage: base.storage ?? createStorage(config),
    personalData: hub.personalData,
    gateway: {
      registry,
      router,
    },
    auth: authManagers({ config, db, kv, log }),
  };
}

/** Sessions and API keys are cached per process; a change to a user reaches both caches. */
function authManagers({
  config,
  db,
  kv,
  log,
}: Pick<AppDeps, 'config' | 'db' | 'kv' | 'log'>): AppDeps['auth'] {
  const { auth } = config;
  const unpublished = (what: string) => (error: unknown) =>
    log.warn(
      { err: error },
      `${what} change not published; other processes keep it until the cache TTL`,
    );
  const sessions = createSessionManager(
    db,
    { ...auth.session, adminIdleTimeoutMs: config.admin.sessionIdleTimeoutMs },
    { kv, ...auth.sessionCache, onPublishError: unpublished('Session') },
  );
  const apiKeys = createApiKeyManager(db, {
    kv,
    ...auth.apiKeyCache,
    onPublishError: unpublished('API key'),
  });
  return {
    sessions,
    apiKeys,
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
    userChanged: async (userId) => {
      await Promise.all([sessions.userChanged(userId), apiKeys.userChanged(userId)]);
    },
  };
}
