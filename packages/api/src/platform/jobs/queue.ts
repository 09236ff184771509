import type { Config } from '@phoenix/config';
import type { Database, Kysely } from '@phoenix/db';
import { markRaisedBy } from '@phoenix/errors';
import { type ConstructorOptions, PgBoss, type Queue } from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { assertJobName, type JobDefinition, type RetryPolicy } from './define.ts';
import { inTransaction, type JobStore, pgliteExecutor } from './store.ts';

type JobsConfig = Config['jobs'];

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  db?: Kysely<Database>;
  /** Run no earlier than this. */
  startAfter?: Date;
  /** At most one queued job with this key per queue (the later send is dropped). */
  singletonKey?: string;
}

export interface StartOptions {
  /**
   * Run pg-boss's maintenance and cron timekeeping in this process (worker processes);
   * a process that only sends jobs leaves both off. Either is once per cluster.
   */
  maintenance: boolean;
}

export interface Jobs {
  readonly schema: string;
  /** Adds job kinds; only before `start`, so every process creates the same queues. */
  register(...definitions: JobDefinition[]): void;
  definitions(): readonly JobDefinition[];
  definition(name: string): JobDefinition | undefined;
  /** Installs or migrates pg-boss's schema and creates the registered queues. */
  start(options: StartOptions): Promise<void>;
  send<P extends z.ZodType>(
    job: JobDefinition<P>,
    payload: z.input<P>,
    options?: SendOptions,
  ): Promise<string | null>;
  /** Enqueues many jobs of one kind in one statement (e.g. one per subscriber of an event). */
  sendMany<P extends z.ZodType>(
    job: JobDefinition<P>,
    payloads: readonly z.input<P>[],
    options?: Pick<SendOptions, 'db'>,
  ): Promise<void>;
  /** The running pg-boss instance; throws before `start`. */
  boss(): PgBoss;
  retryPolicy(job: JobDefinition): RetryPolicy;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** Jobs in Postgres through pg-boss, on a real Postgres or on the embedded PGlite alike. */
export function createJobs(deps: {
  store: JobStore | undefined;
  db: Kysely<Database>;
  config: JobsConfig;
  log: Logger;
}): Jobs {
  const { store, db, config, log } = deps;
  const registered = new Map<string, JobDefinition>();
  let boss: PgBoss | undefined;

  const retryPolicy = (job: JobDefinition): RetryPolicy => ({
    limit: job.retry?.limit ?? config.retry.limit,
    delaySeconds: job.retry?.delaySeconds ?? config.retry.delaySeconds,
    maxDelaySeconds: job.retry?.maxDelaySeconds ?? config.retry.maxDelaySeconds,
  });

  const queueOptions = (job: JobDefinition): Omit<Queue, 'name' | 'deadLetter'> => {
    const retry = retryPolicy(job);
    return {
      retryLimit: retry.limit,
      retryDelay: retry.delaySeconds,
      retryBackoff: true,
      retryDelayMax: retry.maxDelaySeconds,
      expireInSeconds: job.timeoutSeconds ?? 15 * 60,
      notify: store?.kind === 'postgres',
    };
  };

  const started = (): PgBoss => {
    if (!boss) throw new Error('The job queue is not started');
    return boss;
  };

  const parse = <P extends z.ZodType>(job: JobDefinition<P>, payload: z.input<P>) =>
    JSON.parse(JSON.stringify(job.payload.parse(payload))) as object;

  return {
    schema: store?.schema ?? config.schema,
    register(...definitions) {
      if (boss) throw new Error('Register job kinds before the queue starts');
      for (const definition of definitions) {
        assertJobName(definition.name);
        if (registered.has(definition.name)) {
          throw new Error(`Job "${definition.name}" is registered twice`);
        }
        registered.set(definition.name, definition);
      }
    },
    definitions: () => [...registered.values()],
    definition: (name) => registered.get(name),
    async start({ maintenance }) {
      if (boss) return;
      if (!store) throw new Error('No job store: the queue cannot start');
      for (const job of registered.values()) {
        const target = job.deadLetter?.name;
        if (target && registered.get(target) !== job.deadLetter) {
          throw new Error(`Job "${job.name}" dead-letters to "${target}", which is not registered`);
        }
      }
      const common: ConstructorOptions = {
        schema: store.schema,
        supervise: maintenance,
        schedule: maintenance,
        cronMonitorIntervalSeconds: config.cronCheckSeconds,
        // The jobs it sends are picked up by the workers' own polling.
        cronWorkerIntervalSeconds: Math.max(1, Math.round(config.pollIntervalMs / 1000)),
      };
      const instance =
        store.kind === 'postgres'
          ? new PgBoss({
              ...common,
              connectionString: store.url,
              max: store.poolMax,
              // The same deadlines as the hub's own pool: a silent Postgres fails a poll, never hangs it.
              connectionTimeoutMillis: store.timeouts.connectMs,
              options: `-c statement_timeout=${store.timeouts.statementMs}`,
              useListenNotify: true,
            })
          : new PgBoss({ ...common, backend: 'pglite', db: pgliteExecutor(db, store.client) });
      instance.on('error', (error) => log.warn({ err: error }, 'job queue error'));
      await instance.start();
      for (const job of registered.values()) {
        await instance.createQueue(job.name, queueOptions(job));
      }
      // Once every queue exists: a dead-letter queue must exist before one names it.
      for (const job of registered.values()) {
        await instance.updateQueue(job.name, {
          ...queueOptions(job),
          deadLetter: job.deadLetter?.name ?? null,
        });
        // Loads the queue into pg-boss's cache now: a send inside a transaction must not
        // look it up on another connection (on PGlite, the one the transaction holds).
        await instance.insert(job.name, []);
      }
      boss = instance;
      log.debug({ queues: registered.size, schema: store.schema }, 'job queue started');
    },
    async send(job, payload, options = {}) {
      const data = parse(job, payload);
      return fromJobStore(
        started().send(job.name, data, {
          ...(options.db ? { db: inTransaction(options.db) } : {}),
          ...(options.startAfter ? { startAfter: options.startAfter } : {}),
          ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        }),
      );
    },
    async sendMany(job, payloads, options = {}) {
      if (payloads.length === 0) return;
      const rows = payloads.map((payload) => ({ data: parse(job, payload) }));
      await fromJobStore(
        started().insert(
          job.name,
          rows,
          options.db ? { db: inTransaction(options.db) } : undefined,
        ),
      );
    },
    boss: started,
    retryPolicy,
    async stop({ timeoutMs = 10_000 } = {}) {
      const instance = boss;
      if (!instance) return;
      boss = undefined;
      await instance.stop({ graceful: true, timeout: timeoutMs, close: true });
    },
  };
}

/**
 * pg-boss's own pool talks to nothing but Postgres: a socket error out of it is the
 * database's (marked for `isDatabaseUnavailable`, as `connect` marks the hub's pool).
 */
function fromJobStore<T>(sent: Promise<T>): Promise<T> {
  return sent.catch((error: unknown) => {
    throw markRaisedBy(error, 'database');
  });
}
