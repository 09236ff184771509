import { z } from 'zod';
import { text } from '../../../schemas/index.ts';

/** pg-boss's states; `failed` (retries exhausted) is the dead-letter state. */
export const jobStates = [
  'created',
  'retry',
  'active',
  'completed',
  'cancelled',
  'failed',
] as const;

export const jobSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  state: z.enum(jobStates),
  retryCount: z.int(),
  retryLimit: z.int(),
  createdOn: z.date(),
  startAfter: z.date(),
  startedOn: z.date().nullable(),
  completedOn: z.date().nullable(),
});

export const jobSchema = jobSummarySchema.extend({
  data: z.unknown(),
  /** The handler's failure (`{ message }`) or result. */
  output: z.unknown(),
  singletonKey: z.string().nullable(),
});

export const listJobsInput = z
  .strictObject({
    name: text().min(1).max(200).optional(),
    state: z.enum(jobStates).optional(),
    limit: z.int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional(),
  })
  .default({ limit: 50 });

export const jobPageSchema = z.object({
  items: z.array(jobSummarySchema),
  nextCursor: z.string().nullable(),
});

export const jobIdInput = z.strictObject({ id: z.uuid() });

export type ListJobsInput = z.infer<typeof listJobsInput>;
export type JobSummary = z.infer<typeof jobSummarySchema>;
export type Job = z.infer<typeof jobSchema>;
export type JobPage = z.infer<typeof jobPageSchema>;
