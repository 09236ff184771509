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

/** Where a context keeps the process logger and, once made, its request's child logger. */
const processLog = Symbol('processLog');
const requestLog = Symbol('requestLog');
type LazyLogHolder = { requestId: string; [processLog]: Logger; [requestLog]?: Logger };

/**
 * The context's `log`: the request-scoped child logger, made on first use (most requests
 * never log). One function for every context, reading its request from `this`.
 */
function requestScopedLog(this: LazyLogHolder): Logger {
  this[requestLog] ??= this[processLog].child({ requestId: this.requestId });
  return this[requestLog];
}

/**
 * Why not `{ ...deps, ...request, get log() { ... } }`, as it was: that kept every request's
 * objects (the context, and through the getter's closure its headers and response headers)
 * alive through young GCs until a full GC, ~1.7 KB per trivial query moved to the old
 * generation and a full GC every second or so under load (bench/http, `--trace-gc-nvp`;
 * docs/architecture.md, "Performance"). With one shared getter, added to a context built
 * without the process logger's own `log`, contexts stay fast objects of one shape, and die
 * young. `context.test.ts` holds the getter to one function.
 */
export function createContext(deps: AppDeps, request: RequestInfo): Context {
  const { log, ...shared } = deps;
  const context = { ...shared, ...request, [processLog]: log, [requestLog]: undefined };
  Object.defineProperty(context, 'log', {
    get: requestScopedLog,
    enumerable: true,
    configurable: true,
  });
  return context as typeof context & { log: Logger };
}
