import type {
  ApiKeyInfo,
  ApiKeyManager,
  AuthUser,
  LoginThrottle,
  ResetTokenManager,
  SessionInfo,
  SessionManager,
} from '@phoenix/auth';
import type { Config } from '@phoenix/config';
import type { Database, Kysely } from '@phoenix/db';
import type { GatewayRouter, ProviderRegistry } from '@phoenix/gateway';
import type { Kv } from '@phoenix/kv';
import type { Logger } from 'pino';
import type { Mailer } from './mail/mailer.ts';
import type { Metrics } from './metrics.ts';
import type { Events } from './platform/events/index.ts';
import type { Jobs } from './platform/jobs/index.ts';
import type { PersonalDataDeclaration } from './platform/personal-data/index.ts';
import type { Storage } from './platform/storage/index.ts';

export interface Clock {
  now(): number;
}

/** Long-lived dependencies, built once per process by the server and shared by requests. */
export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  kv: Kv;
  log: Logger;
  metrics: Metrics;
  mailer: Mailer;
  /** Durable jobs (pg-boss): send them, in a transaction when they follow from a write. */
  jobs: Jobs;
  /** Domain events: `emit` in the write's transaction, `on` at startup. */
  events: Events;
  /** Epoch milliseconds; tests inject their own to move time without sleeping. */
  clock: Clock;
  /** Files (recordings, export archives): the local folder, or S3-compatible storage. */
  storage: Storage;
  /** Every domain's personal data declaration (GDPR export and erasure), listed in root.ts. */
  personalData: readonly PersonalDataDeclaration[];
  gateway: {
    registry: ProviderRegistry;
    router: GatewayRouter;
  };
  auth: {
    sessions: SessionManager;
    apiKeys: ApiKeyManager;
    resetTokens: ResetTokenManager;
    loginThrottle: LoginThrottle;
    registerLimit: (key: string) => Promise<void>;
    resetRequestLimit: (key: string) => Promise<void>;
    /**
     * Every process drops what it cached of this user's sessions and API keys (role, tier,
     * profile, deactivation, password reset, erasure). Call after the change committed.
     */
    userChanged: (userId: string) => Promise<void>;
  };
}

/** Who is calling, once a procedure level has authenticated the request. */
export interface Caller {
  user: AuthUser;
  /** Present when the caller signed in with a session token or cookie. */
  session: SessionInfo | null;
  /** Present when the caller used an API key. */
  apiKey: ApiKeyInfo | null;
  via: 'bearer' | 'cookie';
}

/** What one HTTP request brings to the procedures. */
export interface RequestInfo {
  requestId: string;
  /** Client address, from X-Forwarded-For only behind a trusted proxy. */
  ip: string;
  userAgent: string | null;
  /** How many calls the HTTP request carries (a tRPC batch carries several). */
  batchSize: number;
  headers: Headers;
  /** Headers to add to the response (cookies, retry-after). */
  resHeaders: Headers;
}

export interface Context extends AppDeps, RequestInfo {}

export function createContext(deps: AppDeps, request: RequestInfo): Context {
  let log: Logger | undefined;
  return {
    ...deps,
    ...request,
    // Most requests never log, so the request-scoped child logger is made on first use.
    get log() {
      log ??= deps.log.child({ requestId: request.requestId });
      return log;
    },
  };
}
