import { z } from 'zod';
import { boolean, csv, json, nonNegativeInt, optional, port, positiveInt, url } from './parsers.ts';

/** AI providers the gateway can call; every one but `offline` needs an API key. */
export const KEYED_PROVIDERS = [
  'openai',
  'anthropic',
  'gemini',
  'cohere',
  'groq',
  'deepseek',
  'mistral',
  'together',
  'openrouter',
  'deepgram',
] as const;
export const PROVIDER_NAMES = [...KEYED_PROVIDERS, 'offline'] as const;

const targetsSchema = z
  .array(z.object({ provider: z.enum(PROVIDER_NAMES), model: z.string().min(1) }))
  .min(1);

/**
 * `{"chat.default": [{"provider": "openai", "model": "gpt-4o-mini"}, ...]}`, or a route as
 * `{"targets": [...], "sharedCache": true}`: its cached answers are shared by every caller
 * (for prompts that hold nothing personal). Otherwise a cached answer serves only its payer.
 */
const routesSchema = z.record(
  z.string().min(1),
  z.union([
    targetsSchema.transform((targets) => ({ targets, sharedCache: false })),
    z.strictObject({ targets: targetsSchema, sharedCache: z.boolean().default(false) }),
  ]),
);

/** Credits per million tokens: `{"openai/gpt-4o-mini": {"input": 150, "output": 600}}` */
const pricesSchema = z.record(
  z.string().regex(/^[\w-]+\/.+$/, 'expected provider/model keys'),
  z.object({ input: z.int().nonnegative(), output: z.int().nonnegative() }),
);

/** Payment providers billing can send a checkout to; `fake` is served by the hub itself. */
export const PAYMENT_PROVIDERS = ['fake', 'stripe', 'chargily'] as const;

/** Lower-case ISO 4217 code; prices are integers in the currency's minor unit (cents, centimes). */
const currencyPrices = z
  .record(
    z.string().regex(/^[a-z]{3}$/, 'expected a lower-case ISO 4217 code'),
    z.int().nonnegative(),
  )
  .refine((prices) => Object.keys(prices).length > 0, 'expected at least one currency');
const catalogueId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a lower-case id');

/**
 * `[{"id": "premium-monthly", "name": "Premium", "tier": "PREMIUM", "interval": "month",
 * "prices": {"usd": 999, "dzd": 150000}, "monthlyCredits": 100000}]`
 */
const plansSchema = z
  .array(
    z.strictObject({
      id: catalogueId,
      name: z.string().min(1).max(80),
      tier: z.enum(['FREE', 'PREMIUM']),
      interval: z.enum(['month', 'year']),
      prices: currencyPrices,
      monthlyCredits: z.int().nonnegative(),
    }),
  )
  .min(1)
  .refine(
    (plans) => new Set(plans.map((p) => p.id)).size === plans.length,
    'plan ids must be unique',
  );

/** `[{"id": "credits-10k", "name": "10,000 credits", "credits": 10000, "prices": {"usd": 500}}]` */
const packsSchema = z
  .array(
    z.strictObject({
      id: catalogueId,
      name: z.string().min(1).max(80),
      credits: z.int().positive(),
      prices: currencyPrices,
    }),
  )
  .min(1)
  .refine(
    (packs) => new Set(packs.map((p) => p.id)).size === packs.length,
    'pack ids must be unique',
  );

export type PlanConfig = z.output<typeof plansSchema>[number];
export type PackConfig = z.output<typeof packsSchema>[number];

export const DEFAULT_PLANS: PlanConfig[] = [
  {
    id: 'free',
    name: 'Free',
    tier: 'FREE',
    interval: 'month',
    prices: { usd: 0, eur: 0, dzd: 0 },
    monthlyCredits: 0,
  },
  {
    id: 'premium-monthly',
    name: 'Premium',
    tier: 'PREMIUM',
    interval: 'month',
    prices: { usd: 999, eur: 999, dzd: 150_000 },
    monthlyCredits: 100_000,
  },
  {
    id: 'premium-yearly',
    name: 'Premium (yearly)',
    tier: 'PREMIUM',
    interval: 'year',
    prices: { usd: 9_900, eur: 9_900, dzd: 1_500_000 },
    monthlyCredits: 100_000,
  },
];

export const DEFAULT_PACKS: PackConfig[] = [
  {
    id: 'credits-10k',
    name: '10,000 credits',
    credits: 10_000,
    prices: { usd: 500, eur: 500, dzd: 75_000 },
  },
  {
    id: 'credits-50k',
    name: '50,000 credits',
    credits: 50_000,
    prices: { usd: 2_000, eur: 2_000, dzd: 300_000 },
  },
  {
    id: 'credits-200k',
    name: '200,000 credits',
    credits: 200_000,
    prices: { usd: 6_000, eur: 6_000, dzd: 900_000 },
  },
];

/** Credits per minute of audio: `{"openai/whisper-1": 60}` (1 credit = US$0.0001). */
const transcribePricesSchema = z.record(
  z.string().regex(/^[\w-]+\/.+$/, 'expected provider/model keys'),
  z.int().nonnegative(),
);

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
  /**
   * Longest a request body held to BODY_LIMIT_BYTES (tRPC, REST, OpenAI, webhooks) may take
   * to arrive in all; past it the connection is closed. The upload door has its own bounds.
   */
  HTTP_REQUEST_TIMEOUT_SECONDS: positiveInt(300),
  /** Request line plus headers: a streamed chat's input travels in the URL (SSE is GET). */
  HEADER_LIMIT_BYTES: positiveInt(256 * 1024),
  /** Most calls one tRPC batch request may carry; every call counts against the limits. */
  TRPC_MAX_BATCH_SIZE: positiveInt(10),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /** The built admin console (apps/console/dist), served at /console; unset: not served. */
  CONSOLE_DIR: optional(z.string().min(1)),
  DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  DATABASE_POOL_MAX: positiveInt(10),
  /** Longest wait for a pooled connection (a free one or a new one): a silent server fails fast. */
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  /** Server-side limit per statement; the client gives up one second later if the server is silent. */
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(5_000),
  DATABASE_IDLE_TIMEOUT_MS: positiveInt(10_000),
  /**
   * Hot statements run as named prepared statements, parsed and planned once per
   * connection. Turn off behind a pooler that cannot carry them (PgBouncer in transaction
   * mode before 1.21, or with `max_prepared_statements` at 0, its default before 1.24).
   */
  DATABASE_PREPARED_STATEMENTS: boolean(true),
  DATA_DIR: z.string().min(1).default('.phoenix/data'),
  /** Where uploaded and generated files go when no S3-compatible storage is configured. */
  STORAGE_DIR: z.string().min(1).default('.phoenix/files'),
  /**
   * `s3://bucket[/prefix]`: S3-compatible storage instead of STORAGE_DIR (with the S3_*
   * settings below; S3_BUCKET alone selects it too).
   */
  STORAGE_URL: optional(url(['s3'])),
  S3_BUCKET: optional(
    z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected a bucket name'),
  ),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible service's URL (MinIO, R2, ...); AWS's own endpoint when unset. */
  S3_ENDPOINT: optional(url(['http', 'https'])),
  /** Both or neither; without them the SDK's default credential chain (IAM role, ...) applies. */
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  /** `bucket` in the path rather than the host name: most S3-compatible servers want this. */
  S3_FORCE_PATH_STYLE: boolean(false),
  /** Connecting to the object store; a store that does not answer fails fast with a 503. */
  STORAGE_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  /** Longest silence on one storage request (a big upload may last longer, never stall longer). */
  STORAGE_REQUEST_TIMEOUT_MS: positiveInt(15_000),
  /** Largest recording the upload door accepts (413 past it). */
  CHAMPION_UPLOAD_MAX_BYTES: positiveInt(200 * 1024 * 1024),
  /**
   * Uploads one server process receives at once (each can hold two 2 MB write buffers plus
   * the parser's); one more is refused with a 503 and `Retry-After` before it is parsed or stored.
   */
  CHAMPION_UPLOADS_IN_FLIGHT: positiveInt(8),
  /**
   * Longest the upload door waits for the next bytes of a body (reset on every chunk, not a
   * limit on the whole upload): a client that goes silent gets a 408 and its slot back.
   */
  CHAMPION_UPLOAD_IDLE_SECONDS: positiveInt(30),
  /**
   * Longest one upload may take to arrive in all (Node's server-wide `requestTimeout`, so
   * it bounds every request): an hour takes a 200 MB recording at 0.06 MB/s.
   */
  CHAMPION_UPLOAD_TIMEOUT_SECONDS: positiveInt(3600),
  /** Length of the pieces long audio is cut into before transcription. */
  MEDIA_CHUNK_SECONDS: positiveInt(600),
  /** Longest one FFmpeg or FFprobe run may take before it is killed. */
  MEDIA_TIMEOUT_MS: positiveInt(10 * 60_000),
  REDIS_URL: optional(url(['redis', 'rediss'])),
  KV_PREFIX: z.string().default('phx:'),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  /** Per command, including one queued while reconnecting: a silent Redis fails fast. */
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(2_000),
  /** What a 503 for a store that is down tells the client to wait (`Retry-After`). */
  STORE_RETRY_AFTER_SECONDS: positiveInt(5),
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
  /**
   * How long a validated API key is trusted from this process's memory. Revocation, user
   * changes and deactivation reach every process at once through kv pub/sub; this bounds
   * staleness if a message is lost (Redis reconnecting, a change made outside the hub). 0 = off.
   */
  API_KEY_CACHE_TTL_SECONDS: nonNegativeInt(30),
  API_KEY_CACHE_MAX_ENTRIES: positiveInt(10_000),
  /**
   * The same for sessions (sign-out, revocation, password changes and user changes are
   * published); shorter, since it bounds how long a sign-out whose message was lost (Redis
   * down) still lets the session in elsewhere. 0 = off.
   */
  SESSION_CACHE_TTL_SECONDS: nonNegativeInt(10),
  SESSION_CACHE_MAX_ENTRIES: positiveInt(50_000),
  AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES: positiveInt(5),
  AUTH_LOGIN_LOCK_SECONDS: positiveInt(15 * 60),
  AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: positiveInt(100),
  AUTH_REGISTER_PER_IP_PER_HOUR: positiveInt(20),
  AUTH_RESET_REQUESTS_PER_HOUR: positiveInt(5),
  SMTP_URL: optional(url(['smtp', 'smtps'])),
  MAIL_FROM: z.string().min(3).default('Phoenix Hub <no-reply@phoenix.local>'),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(url(['http', 'https'])),
  ANTHROPIC_API_KEY: optional(z.string().min(1)),
  ANTHROPIC_BASE_URL: optional(url(['http', 'https'])),
  GEMINI_API_KEY: optional(z.string().min(1)),
  GEMINI_BASE_URL: optional(url(['http', 'https'])),
  COHERE_API_KEY: optional(z.string().min(1)),
  COHERE_BASE_URL: optional(url(['http', 'https'])),
  GROQ_API_KEY: optional(z.string().min(1)),
  GROQ_BASE_URL: optional(url(['http', 'https'])),
  DEEPSEEK_API_KEY: optional(z.string().min(1)),
  DEEPSEEK_BASE_URL: optional(url(['http', 'https'])),
  MISTRAL_API_KEY: optional(z.string().min(1)),
  MISTRAL_BASE_URL: optional(url(['http', 'https'])),
  TOGETHER_API_KEY: optional(z.string().min(1)),
  TOGETHER_BASE_URL: optional(url(['http', 'https'])),
  OPENROUTER_API_KEY: optional(z.string().min(1)),
  OPENROUTER_BASE_URL: optional(url(['http', 'https'])),
  DEEPGRAM_API_KEY: optional(z.string().min(1)),
  DEEPGRAM_BASE_URL: optional(url(['http', 'https'])),
  GATEWAY_ROUTES: optional(json(routesSchema)),
  GATEWAY_PRICES: optional(json(pricesSchema)),
  /** Transcription prices per audio minute, over the built-in table. */
  GATEWAY_TRANSCRIBE_PRICES: optional(json(transcribePricesSchema)),
  /** Per minute for a paid transcription model in neither table: high, so it never undercharges. */
  GATEWAY_TRANSCRIBE_UNKNOWN_CREDITS_PER_MINUTE: nonNegativeInt(500),
  GATEWAY_CACHE_TTL_SECONDS: positiveInt(3600),
  GATEWAY_ATTEMPT_TIMEOUT_MS: positiveInt(30_000),
  GATEWAY_DEADLINE_MS: positiveInt(90_000),
  GATEWAY_MAX_RETRIES: nonNegativeInt(2),
  GATEWAY_BACKOFF_BASE_MS: positiveInt(250),
  GATEWAY_BREAKER_FAILURE_THRESHOLD: positiveInt(5),
  GATEWAY_BREAKER_COOLDOWN_MS: positiveInt(30_000),
  GATEWAY_BREAKER_MIN_REQUESTS: positiveInt(10),
  GATEWAY_LOG_PROMPTS: boolean(false),
  GATEWAY_SIGNUP_CREDITS: nonNegativeInt(10_000),
  GATEWAY_FREE_REQUESTS_PER_MINUTE: positiveInt(20),
  GATEWAY_FREE_TOKENS_PER_DAY: positiveInt(50_000),
  GATEWAY_PREMIUM_REQUESTS_PER_MINUTE: positiveInt(120),
  GATEWAY_PREMIUM_TOKENS_PER_DAY: positiveInt(1_000_000),
  ADMIN_READS_PER_MINUTE: positiveInt(100),
  ADMIN_WRITES_PER_MINUTE: positiveInt(30),
  ADMIN_DELETES_PER_MINUTE: positiveInt(10),
  ADMIN_EXPORTS_PER_MINUTE: positiveInt(5),
  AUDIT_RETENTION_DAYS: positiveInt(365),
  /** A settle that leaves a balance under this many credits emits `credits.low`. */
  CREDITS_LOW_THRESHOLD: nonNegativeInt(1_000),
  /** `start` runs the job worker in the server process; false leaves it to `phoenix worker`. */
  WORKER_IN_PROCESS: boolean(true),
  /** Jobs one worker process runs at once, per queue. */
  JOBS_CONCURRENCY: positiveInt(2),
  /** Jobs claimed per fetch: fewer round trips when a queue has a backlog. */
  JOBS_BATCH_SIZE: positiveInt(20),
  /** How often an idle worker looks for jobs (pg-boss refuses less than 500). */
  JOBS_POLL_INTERVAL_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int('expected milliseconds')
    .min(500, 'expected at least 500 ms')
    .default(2_000),
  /** How often each process checks the cron schedules; one check per cluster sends the jobs. */
  JOBS_CRON_CHECK_SECONDS: positiveInt(30),
  JOBS_RETRY_LIMIT: nonNegativeInt(5),
  /** First retry delay; doubles (with jitter) at each retry, up to JOBS_RETRY_MAX_DELAY_SECONDS. */
  JOBS_RETRY_DELAY_SECONDS: nonNegativeInt(10),
  JOBS_RETRY_MAX_DELAY_SECONDS: positiveInt(3_600),
  /** Postgres schema holding pg-boss's tables (ignored in tests: they use their own schema). */
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case Postgres identifier')
    .default('pgboss'),
  /** Connections pg-boss's own pool opens on Postgres (workers, maintenance, LISTEN). */
  JOBS_POOL_MAX: positiveInt(4),
  /** Idle limit of an administrator's session (users keep SESSION_IDLE_TIMEOUT_SECONDS). */
  ADMIN_SESSION_IDLE_MINUTES: positiveInt(30),
  /**
   * Delay before each attempt of a webhook delivery, in seconds: Svix's schedule by default
   * (at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). Tests compress it.
   */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: csv
    .pipe(z.array(z.coerce.number<string>().nonnegative().max(86_400)).min(1))
    .default([0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000]),
  /** One delivery attempt's deadline (connect, headers and body). */
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** An endpoint failing for this long (no success in between) is disabled, with an alert. */
  WEBHOOK_DISABLE_AFTER_SECONDS: positiveInt(5 * 86_400),
  /** How long a regenerated secret's predecessor still signs (both signatures are sent). */
  WEBHOOK_SECRET_GRACE_SECONDS: positiveInt(86_400),
  /** Lets endpoints reach loopback and private addresses: tests and local development only. */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean(false),
  /** Luna's energy: the most a user can hold, by tier. */
  LUNA_ENERGY_MAX_FREE: positiveInt(100),
  LUNA_ENERGY_MAX_PREMIUM: positiveInt(300),
  /** Energy regained per hour, computed from time (no cron). */
  LUNA_ENERGY_REGEN_PER_HOUR_FREE: positiveInt(10),
  LUNA_ENERGY_REGEN_PER_HOUR_PREMIUM: positiveInt(30),
  /** What one message to Luna costs (refunded when Luna answers in degraded mode). */
  LUNA_ENERGY_PER_MESSAGE: positiveInt(5),
  /** Energy a celebration (a goal completed, a first conversation) grants. */
  LUNA_ENERGY_PER_CELEBRATION: nonNegativeInt(10),
  /** Days in a row with a message to Luna that make a streak worth celebrating. */
  LUNA_STREAK_DAYS: positiveInt(3),
  /** New events in a user's stream before `luna.narrative.refresh` rewrites the summary. */
  LUNA_NARRATIVE_REFRESH_EVENTS: positiveInt(10),
  /** Token budget of the prompt Luna builds from its projections. */
  LUNA_PROMPT_TOKEN_BUDGET: positiveInt(1_500),
  /** Champion training: per-user limits (the upload door reads its own). */
  CHAMPION_UPLOADS_PER_HOUR: positiveInt(10),
  CHAMPION_ANALYSES_PER_HOUR: positiveInt(20),
  CHAMPION_TRAINING_CALLS_PER_MINUTE: positiveInt(60),
  /**
   * Longest pasted transcript, in characters. The analysis sends it whole in one model
   * call, which takes at most 100,000 characters of JSON (quotes and line breaks escaped),
   * so the default leaves room for that; a longer transcript fails its analysis at once.
   */
  CHAMPION_TRANSCRIPT_MAX_CHARS: positiveInt(90_000),
  /** Tries a model gets to answer in the expected structure before the step fails. */
  CHAMPION_STRUCTURED_OUTPUT_ATTEMPTS: positiveInt(3),
  /** A training session ends after this many seller turns, or this long after it started. */
  CHAMPION_TRAINING_MAX_TURNS: positiveInt(20),
  CHAMPION_TRAINING_MAX_MINUTES: positiveInt(60),
  /** A training session with no answer for this long is ended (counted from its last turn). */
  CHAMPION_TRAINING_INACTIVITY_MINUTES: positiveInt(15),
  /** The provider a checkout uses when the caller names none (`fake` needs no account). */
  BILLING_PROVIDER: z.enum(PAYMENT_PROVIDERS).default('fake'),
  /**
   * Serve the `fake` provider (its checkout page and signed webhooks). On by default except
   * in production: a fake payment is free credits.
   */
  BILLING_FAKE_ENABLED: optional(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  ),
  /** HMAC key of the fake provider's webhooks (the hub signs and checks its own). */
  BILLING_FAKE_WEBHOOK_SECRET: z.string().min(16).default('phoenix-fake-billing-webhook-secret'),
  BILLING_PLANS: optional(json(plansSchema)),
  BILLING_PACKS: optional(json(packsSchema)),
  /** After a failed renewal the tier is kept this long, then drops to FREE. */
  BILLING_GRACE_DAYS: nonNegativeInt(7),
  /** Where a provider sends the user back after a checkout (default: PUBLIC_URL + /billing/return). */
  BILLING_RETURN_URL: optional(url(['http', 'https'])),
  /** Checkouts and portal sessions one user may open per hour. */
  BILLING_CHECKOUTS_PER_HOUR: positiveInt(30),
  STRIPE_SECRET_KEY: optional(z.string().min(1)),
  /** `whsec_...`: checks `POST /webhooks/stripe` (stripe.webhooks.constructEvent, 300 s tolerance). */
  STRIPE_WEBHOOK_SECRET: optional(z.string().min(1)),
  /** Chargily Pay v2 secret key: calls its API and checks `POST /webhooks/chargily` (hex HMAC-SHA256). */
  CHARGILY_SECRET_KEY: optional(z.string().min(1)),
  CHARGILY_MODE: z.enum(['test', 'live']).default('test'),
  /** HMAC key of email open/click tracking links; without one, a per-process random key. */
  EMAIL_TRACKING_SECRET: optional(z.string().min(32, 'expected at least 32 characters')),
  /** Days a GDPR export archive (and its signed download link) lives. */
  GDPR_EXPORT_LINK_TTL_DAYS: positiveInt(7),
  /** HMAC key of export download links; else EMAIL_TRACKING_SECRET, else a per-process key. */
  GDPR_LINK_SECRET: optional(z.string().min(32, 'expected at least 32 characters')),
  /** Days between an erasure request and the erasure (cancellable meanwhile); 0 erases at once. */
  GDPR_ERASURE_GRACE_DAYS: nonNegativeInt(14),
  /**
   * `gdpr.export.data` (the portable JSON, built in memory on every call) per user per hour;
   * the archive (`gdpr.export.request`) is queued and streamed, one at a time.
   */
  GDPR_PORTABLE_EXPORTS_PER_HOUR: positiveInt(6),
  /** Retention per table, in days, applied by the daily `gdpr.retention` job (0 keeps forever). */
  RETENTION_GATEWAY_REQUESTS_DAYS: nonNegativeInt(400),
  RETENTION_ACTIVITY_DAYS: nonNegativeInt(400),
  RETENTION_ERROR_LOG_DAYS: nonNegativeInt(90),
  RETENTION_EMAIL_LOGS_DAYS: nonNegativeInt(180),
  RETENTION_WEBHOOK_LOGS_DAYS: nonNegativeInt(30),
  /** Sessions and reset tokens this many days past their last use or expiry. */
  RETENTION_EXPIRED_SESSIONS_DAYS: nonNegativeInt(30),
  RETENTION_DOMAIN_EVENTS_DAYS: nonNegativeInt(90),
});

export type Environment = z.input<typeof environmentSchema>;

export const configSchema = environmentSchema
  .superRefine((env, ctx) => {
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
      });
    }
  })
  .transform((env) => ({
    env: env.NODE_ENV,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL,
      corsOrigins: env.CORS_ORIGINS,
      trustedProxies: env.TRUSTED_PROXIES,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      headerLimitBytes: env.HEADER_LIMIT_BYTES,
      maxBatchSize: env.TRPC_MAX_BATCH_SIZE,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      consoleDir: env.CONSOLE_DIR,
    },
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      dataDir: env.DATA_DIR,
      timeouts: {
        connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
        statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
        idleMs: env.DATABASE_IDLE_TIMEOUT_MS,
      },
    },
    kv: {
      redisUrl: env.REDIS_URL,
      prefix: env.KV_PREFIX,
      timeouts: {
        connectMs: env.REDIS_CONNECT_TIMEOUT_MS,
        commandMs: env.REDIS_COMMAND_TIMEOUT_MS,
      },
    },
    stores: { retryAfterSeconds: env.STORE_RETRY_AFTER_SECONDS },
    storage: {
      dir: env.STORAGE_DIR,
      s3: s3Settings(env),
      timeouts: {
        connectMs: env.STORAGE_CONNECT_TIMEOUT_MS,
        requestMs: env.STORAGE_REQUEST_TIMEOUT_MS,
      },
    },
    media: {
      uploadMaxBytes: env.CHAMPION_UPLOAD_MAX_BYTES,
      uploadsInFlight: env.CHAMPION_UPLOADS_IN_FLIGHT,
      uploadIdleSeconds: env.CHAMPION_UPLOAD_IDLE_SECONDS,
      uploadTimeoutMs: env.CHAMPION_UPLOAD_TIMEOUT_SECONDS * 1000,
      chunkSeconds: env.MEDIA_CHUNK_SECONDS,
      timeoutMs: env.MEDIA_TIMEOUT_MS,
    },
    log: { level: env.LOG_LEVEL, requests: env.LOG_REQUESTS },
    auth: {
      cookieName: env.SESSION_COOKIE_NAME,
      session: {
        idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
        absoluteLifetimeMs: env.SESSION_ABSOLUTE_LIFETIME_SECONDS * 1000,
        touchIntervalMs: env.SESSION_TOUCH_INTERVAL_SECONDS * 1000,
      },
      passwordResetTtlMs: env.PASSWORD_RESET_TTL_SECONDS * 1000,
      apiKeyCache: {
        ttlMs: env.API_KEY_CACHE_TTL_SECONDS * 1000,
        maxEntries: env.API_KEY_CACHE_MAX_ENTRIES,
      },
      sessionCache: {
        ttlMs: env.SESSION_CACHE_TTL_SECONDS * 1000,
        maxEntries: env.SESSION_CACHE_MAX_ENTRIES,
      },
      login: {
        maxConsecutiveFailures: env.AUTH_LOGIN_MAX_CONSECUTIVE_FAILURES,
        lockSeconds: env.AUTH_LOGIN_LOCK_SECONDS,
        maxFailuresPerIpPerDay: env.AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY,
      },
      registerPerIpPerHour: env.AUTH_REGISTER_PER_IP_PER_HOUR,
      resetRequestsPerHour: env.AUTH_RESET_REQUESTS_PER_HOUR,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    gateway: {
      providers: {
        openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL },
        anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL },
        gemini: { apiKey: env.GEMINI_API_KEY, baseUrl: env.GEMINI_BASE_URL },
        cohere: { apiKey: env.COHERE_API_KEY, baseUrl: env.COHERE_BASE_URL },
        groq: { apiKey: env.GROQ_API_KEY, baseUrl: env.GROQ_BASE_URL },
        deepseek: { apiKey: env.DEEPSEEK_API_KEY, baseUrl: env.DEEPSEEK_BASE_URL },
        mistral: { apiKey: env.MISTRAL_API_KEY, baseUrl: env.MISTRAL_BASE_URL },
        together: { apiKey: env.TOGETHER_API_KEY, baseUrl: env.TOGETHER_BASE_URL },
        openrouter: { apiKey: env.OPENROUTER_API_KEY, baseUrl: env.OPENROUTER_BASE_URL },
        deepgram: { apiKey: env.DEEPGRAM_API_KEY, baseUrl: env.DEEPGRAM_BASE_URL },
      },
      routes:
        env.GATEWAY_ROUTES &&
        Object.fromEntries(
          Object.entries(env.GATEWAY_ROUTES).map(([name, r]) => [name, r.targets]),
        ),
      sharedCacheRoutes: Object.entries(env.GATEWAY_ROUTES ?? {})
        .filter(([, r]) => r.sharedCache)
        .map(([name]) => name),
      prices: env.GATEWAY_PRICES ?? {},
      transcribePrices: env.GATEWAY_TRANSCRIBE_PRICES ?? {},
      transcribeUnknownPerMinute: env.GATEWAY_TRANSCRIBE_UNKNOWN_CREDITS_PER_MINUTE,
      cacheTtlSeconds: env.GATEWAY_CACHE_TTL_SECONDS,
      retry: {
        attemptTimeoutMs: env.GATEWAY_ATTEMPT_TIMEOUT_MS,
        deadlineMs: env.GATEWAY_DEADLINE_MS,
        maxRetries: env.GATEWAY_MAX_RETRIES,
        backoffBaseMs: env.GATEWAY_BACKOFF_BASE_MS,
        breaker: {
          failureThreshold: env.GATEWAY_BREAKER_FAILURE_THRESHOLD,
          cooldownMs: env.GATEWAY_BREAKER_COOLDOWN_MS,
          minimumRequests: env.GATEWAY_BREAKER_MIN_REQUESTS,
        },
      },
      logPrompts: env.GATEWAY_LOG_PROMPTS,
      signupCredits: env.GATEWAY_SIGNUP_CREDITS,
      lowCreditsThreshold: env.CREDITS_LOW_THRESHOLD,
      quotas: {
        FREE: {
          requestsPerMinute: env.GATEWAY_FREE_REQUESTS_PER_MINUTE,
          tokensPerDay: env.GATEWAY_FREE_TOKENS_PER_DAY,
        },
        PREMIUM: {
          requestsPerMinute: env.GATEWAY_PREMIUM_REQUESTS_PER_MINUTE,
          tokensPerDay: env.GATEWAY_PREMIUM_TOKENS_PER_DAY,
        },
      },
    },
    admin: {
      /** Per administrator, per minute. */
      rateLimits: {
        read: env.ADMIN_READS_PER_MINUTE,
        write: env.ADMIN_WRITES_PER_MINUTE,
        delete: env.ADMIN_DELETES_PER_MINUTE,
        export: env.ADMIN_EXPORTS_PER_MINUTE,
      },
      auditRetentionDays: env.AUDIT_RETENTION_DAYS,
      sessionIdleTimeoutMs: env.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    },
    webhooks: {
      retryScheduleSeconds: env.WEBHOOK_RETRY_SCHEDULE_SECONDS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      disableAfterMs: env.WEBHOOK_DISABLE_AFTER_SECONDS * 1000,
      secretGraceMs: env.WEBHOOK_SECRET_GRACE_SECONDS * 1000,
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    },
    email: { trackingSecret: env.EMAIL_TRACKING_SECRET },
    gdpr: {
      exportTtlMs: env.GDPR_EXPORT_LINK_TTL_DAYS * 86_400_000,
      linkSecret: env.GDPR_LINK_SECRET ?? env.EMAIL_TRACKING_SECRET,
      erasureGraceMs: env.GDPR_ERASURE_GRACE_DAYS * 86_400_000,
      portableExportsPerHour: env.GDPR_PORTABLE_EXPORTS_PER_HOUR,
    },
    /** Days each kind of log is kept; 0 keeps it forever. */
    retention: {
      gatewayRequests: env.RETENTION_GATEWAY_REQUESTS_DAYS,
      activity: env.RETENTION_ACTIVITY_DAYS,
      errorLog: env.RETENTION_ERROR_LOG_DAYS,
      emailLogs: env.RETENTION_EMAIL_LOGS_DAYS,
      webhookLogs: env.RETENTION_WEBHOOK_LOGS_DAYS,
      expiredSessions: env.RETENTION_EXPIRED_SESSIONS_DAYS,
      domainEvents: env.RETENTION_DOMAIN_EVENTS_DAYS,
    },
    billing: {
      defaultProvider: env.BILLING_PROVIDER,
      fakeEnabled: env.BILLING_FAKE_ENABLED ?? env.NODE_ENV !== 'production',
      fakeWebhookSecret: env.BILLING_FAKE_WEBHOOK_SECRET,
      plans: env.BILLING_PLANS ?? DEFAULT_PLANS,
      packs: env.BILLING_PACKS ?? DEFAULT_PACKS,
      graceMs: env.BILLING_GRACE_DAYS * 86_400_000,
      returnUrl: env.BILLING_RETURN_URL,
      checkoutsPerHour: env.BILLING_CHECKOUTS_PER_HOUR,
      stripe: { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET },
      chargily: {
        secretKey: env.CHARGILY_SECRET_KEY,
        apiUrl:
          env.CHARGILY_MODE === 'live'
            ? 'https://pay.chargily.net/api/v2'
            : 'https://pay.chargily.net/test/api/v2',
      },
    },

    luna: {
      energy: {
        FREE: { max: env.LUNA_ENERGY_MAX_FREE, regenPerHour: env.LUNA_ENERGY_REGEN_PER_HOUR_FREE },
        PREMIUM: {
          max: env.LUNA_ENERGY_MAX_PREMIUM,
          regenPerHour: env.LUNA_ENERGY_REGEN_PER_HOUR_PREMIUM,
        },
        perMessage: env.LUNA_ENERGY_PER_MESSAGE,
        perCelebration: env.LUNA_ENERGY_PER_CELEBRATION,
      },
      promptTokenBudget: env.LUNA_PROMPT_TOKEN_BUDGET,
      narrativeRefreshEvents: env.LUNA_NARRATIVE_REFRESH_EVENTS,
      streakDays: env.LUNA_STREAK_DAYS,
    },
    champion: {
      rateLimits: {
        uploadsPerHour: env.CHAMPION_UPLOADS_PER_HOUR,
        analysesPerHour: env.CHAMPION_ANALYSES_PER_HOUR,
        trainingCallsPerMinute: env.CHAMPION_TRAINING_CALLS_PER_MINUTE,
      },
      transcriptMaxChars: env.CHAMPION_TRANSCRIPT_MAX_CHARS,
      structuredOutputAttempts: env.CHAMPION_STRUCTURED_OUTPUT_ATTEMPTS,
      training: {
        maxTurns: env.CHAMPION_TRAINING_MAX_TURNS,
        maxDurationMs: env.CHAMPION_TRAINING_MAX_MINUTES * 60_000,
        inactivityMs: env.CHAMPION_TRAINING_INACTIVITY_MINUTES * 60_000,
      },
    },

    jobs: {
      workerInProcess: env.WORKER_IN_PROCESS,
      concurrency: env.JOBS_CONCURRENCY,
      batchSize: env.JOBS_BATCH_SIZE,
      pollIntervalMs: env.JOBS_POLL_INTERVAL_MS,
      cronCheckSeconds: env.JOBS_CRON_CHECK_SECONDS,
      retry: {
        limit: env.JOBS_RETRY_LIMIT,
        delaySeconds: env.JOBS_RETRY_DELAY_SECONDS,
        maxDelaySeconds: env.JOBS_RETRY_MAX_DELAY_SECONDS,
      },
      schema: env.JOBS_SCHEMA,
      poolMax: env.JOBS_POOL_MAX,
    },
  }));

export type Config = z.output<typeof configSchema>;

type ParsedEnvironment = z.output<typeof environmentSchema>;

/** S3 settings when STORAGE_URL or S3_BUCKET asks for S3-compatible storage; undefined otherwise. */
function s3Settings(env: ParsedEnvironment) {
  const url = env.STORAGE_URL ? new URL(env.STORAGE_URL) : undefined;
  const bucket = env.S3_BUCKET ?? url?.hostname;
  if (!bucket) return undefined;
  return {
    bucket,
    /** Keys are stored under this prefix (`s3://bucket/prefix`), without slashes at the ends. */
    prefix: (url?.pathname ?? '').replace(/^\/+|\/+$/g, ''),
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  };
}
