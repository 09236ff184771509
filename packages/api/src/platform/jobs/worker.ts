import type { Job, JobResult, JobWithMetadata } from 'pg-boss';
import type { AppDeps } from '../../context.ts';
import type { JobDefinition, JobRun } from './define.ts';

export interface RunningWorker {
  /** Stops fetching, waits for running jobs (up to the timeout), then stops the queue. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Polls every registered queue and runs its jobs, and (through pg-boss's timekeeper, once
 * per cluster) sends the scheduled ones. The queue must be started with maintenance on.
 * Per queue, up to JOBS_CONCURRENCY fetches of JOBS_BATCH_SIZE jobs run at once.
 */
export async function startWorker(deps: AppDeps): Promise<RunningWorker> {
  const { jobs, config, log, metrics } = deps;
  const boss = jobs.boss();
  const { concurrency, batchSize, pollIntervalMs } = config.jobs;

  const runOne = async (
    definition: JobDefinition,
    job: Job<unknown>,
    failed?: JobRun['failed'],
  ): Promise<JobResult> => {
    const parsed = definition.payload.safeParse(job.data);
    if (!parsed.success) {
      // Retrying cannot fix a payload that does not fit: straight to the dead-letter state.
      metrics.jobsFailed.inc({ name: definition.name, outcome: 'invalid' });
      log.error({ job: job.id, name: definition.name }, 'job payload does not fit its schema');
      return { id: job.id, status: 'deadletter', output: { message: 'invalid payload' } };
    }
    try {
      await definition.handler(deps, parsed.data, {
        id: job.id,
        name: definition.name,
        retryCount: job.retryCount,
        ...(failed ? { failed } : {}),
      });
      metrics.jobsCompleted.inc({ name: definition.name });
      return { id: job.id, status: 'completed' };
    } catch (error) {
      metrics.jobsFailed.inc({ name: definition.name, outcome: 'error' });
      log.warn(
        { err: error, job: job.id, name: definition.name, retry: job.retryCount },
        'job failed',
      );
      const message = error instanceof Error ? error.message : String(error);
      return { id: job.id, status: 'failed', output: { message } };
    }
  };

  const options = {
    batchSize,
    localConcurrency: concurrency,
    pollingIntervalSeconds: pollIntervalMs / 1000,
    // NOTIFY wakes a worker when a job is sent, but not when a retry's delay ends:
    // keep polling at the normal pace rather than pg-boss's 30 s backstop.
    notifyPollingIntervalSeconds: pollIntervalMs / 1000,
    // A full batch means a backlog: fetch again at once instead of waiting a poll.
    burstWhenBatchFull: true,
    perJobResults: true,
  } as const;
  const withMetadata = { ...options, includeMetadata: true } as const;
  const deadLetterQueues = new Set(
    jobs.definitions().flatMap((d) => (d.deadLetter ? [d.deadLetter.name] : [])),
  );

  for (const definition of jobs.definitions()) {
    if (deadLetterQueues.has(definition.name)) {
      // Only these fetch the metadata: it names the job that failed and holds its error.
      await boss.work<unknown, unknown, typeof withMetadata>(
        definition.name,
        withMetadata,
        (batch) => Promise.all(batch.map((job) => runOne(definition, job, failureOf(job)))),
      );
    } else {
      await boss.work<unknown>(definition.name, options, (batch) =>
        Promise.all(batch.map((job) => runOne(definition, job))),
      );
    }
    // Upserted by every worker: the schedule row is shared, its ticks are once per cluster.
    if (definition.schedule) {
      await boss.schedule(definition.name, definition.schedule, {}, { tz: 'UTC' });
    } else {
      await boss.unschedule(definition.name);
    }
  }
  log.info({ queues: jobs.definitions().length, concurrency, batchSize }, 'job worker started');

  return {
    async stop({ timeoutMs = 10_000 } = {}) {
      await jobs.stop({ timeoutMs });
      log.info('job worker stopped');
    },
  };
}

/** The job a dead-lettered copy came from, and its last error (ours, or pg-boss's timeout). */
function failureOf(job: JobWithMetadata<unknown>): JobRun['failed'] {
  if (!job.sourceName) return undefined;
  return { name: job.sourceName, error: errorOf(job.sourceOutput) ?? 'unknown error' };
}

function errorOf(output: unknown): string | undefined {
  if (typeof output === 'string') return output;
  if (typeof output !== 'object' || output === null) return undefined;
  if ('message' in output && typeof output.message === 'string') return output.message;
  // pg-boss wraps what is not an object, and writes its own failures (a timeout, a
  // shutdown while active), as `{ value }`: an error object or plain text.
  if ('value' in output) return errorOf(output.value);
  return undefined;
}
