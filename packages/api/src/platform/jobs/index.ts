export { defineJob, type JobDefinition, type JobRun, type RetryPolicy } from './define.ts';
export { registerJobMetrics } from './metrics.ts';
export { createJobs, type Jobs, type SendOptions, type StartOptions } from './queue.ts';
export { type JobStore, jobStoreFor } from './store.ts';
export { type RunningWorker, startWorker } from './worker.ts';
