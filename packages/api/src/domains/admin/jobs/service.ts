import { type Database, type Kysely, type RawBuilder, sql } from '@phoenix/db';
import { conflict, notFound } from '@phoenix/errors';
import { z } from 'zod';
import type { AppDeps } from '../../../context.ts';
import type { AuditTrail } from '../../../platform/audit/trail.ts';
import { inTransaction } from '../../../platform/jobs/store.ts';
import {
  afterCursor,
  cursorValues,
  type Keyset,
  key,
  orderOf,
  pageOf,
} from '../../../platform/pagination.ts';
import { redactedSendPayload, sendEmailJob } from '../../email/index.ts';
import {
  type Job,
  type JobPage,
  jobSchema,
  jobSummarySchema,
  type ListJobsInput,
} from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'jobs'>;

const NEWEST: Keyset = {
  scope: 'jobs',
  keys: [key.micros('created_on'), key.uuid()],
  order: 'desc',
};
const pagedSummary = jobSummarySchema.extend({ cursorKey: z.array(z.string()) });
const SUMMARY = sql`id, name, state::text as state, retry_count, retry_limit, created_on,
  start_after, started_on, completed_on`;

// pg-boss owns its job table (partitioned by queue name); it is read here, never written.
const jobTable = (deps: Deps): RawBuilder<unknown> => sql.table(`${deps.jobs.schema}.job`);

export async function listJobs(deps: Deps, input: ListJobsInput): Promise<JobPage> {
  const filters = [sql`true`];
  if (input.name) filters.push(sql`name = ${input.name}`);
  if (input.state) filters.push(sql`state::text = ${input.state}`);
  if (input.cursor) filters.push(afterCursor(NEWEST, input.cursor));
  const { rows } = await sql<unknown>`
    select ${SUMMARY}, ${cursorValues(NEWEST)} as "cursorKey" from ${jobTable(deps)}
    where ${sql.join(filters, sql` and `)}
    order by ${orderOf(NEWEST)}
    limit ${input.limit + 1}
  `.execute(deps.db);
  const items = rows.map((row) => pagedSummary.parse(row));
  return pageOf(NEWEST, items, input.limit);
}

async function findJob(db: Kysely<Database>, deps: Deps, id: string): Promise<Job> {
  const { rows } = await sql<unknown>`
    select ${SUMMARY}, data, output, singleton_key from ${jobTable(deps)} where id = ${id}::uuid
  `.execute(db);
  if (!rows[0]) throw notFound('Job');
  const job = jobSchema.parse(rows[0]);
  return job.name === sendEmailJob.name ? { ...job, data: redactedSendPayload(job.data) } : job;
}

export function getJob(deps: Deps, id: string): Promise<Job> {
  return findJob(deps.db, deps, id);
}

/** Sends a dead-lettered job back to the queue for one more attempt; audited with the change. */
export function retryJob(deps: Deps, audit: AuditTrail, id: string): Promise<Job> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await findJob(trx, deps, id);
    if (before.state !== 'failed') {
      throw conflict('Only a failed job can be retried', { reason: 'JOB_NOT_FAILED' });
    }
    await deps.jobs.boss().retry(before.name, id, { db: inTransaction(trx) });
    const after = await findJob(trx, deps, id);
    await audit.record(trx, {
      resourceType: 'job',
      resourceId: id,
      oldValue: { name: before.name, state: before.state, retryCount: before.retryCount },
      newValue: { name: after.name, state: after.state, retryLimit: after.retryLimit },
    });
    return after;
  });
}
