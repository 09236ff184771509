import type { z } from 'zod';
import type { AppDeps } from '../../context.ts';

/** What a handler knows about the run it is in. */
export interface JobRun {
  id: string;
  name: string;
  /** 0 on the first attempt. */
  retryCount: number;
  /**
   * On a dead-letter queue (see `JobDefinition.deadLetter`): the job that failed for good,
   * whose payload this run carries, and its last error.
   */
  failed?: { name: string; error: string };
}

export interface RetryPolicy {
  /** Retries after the first attempt; 0 sends a failure straight to the dead-letter state. */
  limit: number;
  /** Delay before the first retry; doubled (with jitter) at each further retry. */
  delaySeconds: number;
  maxDelaySeconds: number;
}

/**
 * One kind of job: its queue name, the zod schema of its payload, and what runs it. The
 * payload is checked when the job is sent and again when it runs (a job written by an older
 * release may no longer fit; it is dead-lettered, not retried).
 */
export interface JobDefinition<Payload extends z.ZodType = z.ZodType> {
  name: string;
  payload: Payload;
  handler: (deps: AppDeps, payload: z.output<Payload>, run: JobRun) => Promise<void>;
  /** Overrides the configured retry defaults for this queue. */
  retry?: Partial<RetryPolicy>;
  /** A cron expression (UTC): the job is sent once per cluster at each tick, with `{}` as payload. */
  schedule?: string;
  /** A run taking longer than this is failed (and retried). Default 15 minutes. */
  timeoutSeconds?: number;
  /**
   * pg-boss's dead-letter queue: when a job of this kind fails for good (its last retry
   * failed or timed out, or it was dead-lettered at once), pg-boss sends its payload to this
   * kind, whose handler runs with `run.failed` (the place to record the failure where users
   * see it). Registered like any kind; its payload schema must accept this kind's payload.
   */
  deadLetter?: JobDefinition;
}

/** Identity function that keeps the payload type of a job definition. */
export function defineJob<Payload extends z.ZodType>(
  definition: JobDefinition<Payload>,
): JobDefinition<Payload> {
  return definition;
}

const JOB_NAME = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;

export function assertJobName(name: string): void {
  if (!JOB_NAME.test(name)) throw new Error(`Job name "${name}" must look like "domain.action"`);
}
