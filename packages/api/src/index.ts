export type { AppRouter, RouterInputs, RouterOutputs } from './client-types.ts';
export type { AppDeps, Caller, Context, RequestInfo } from './context.ts';
export type { BaseDeps } from './deps.ts';
export { seedDefaultTemplates } from './domains/email/index.ts';
export {
  createGoal as createLunaGoal,
  lunaCall,
  rebuild as rebuildLunaProjections,
} from './domains/luna/index.ts';
export { deliverWebhookJob } from './domains/webhooks/index.ts';
export type { FieldError, PhoenixErrorData, PhoenixErrorShape } from './errors/shape.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export type { DomainEvent, EmittedEvent, Events, EventType } from './platform/events/index.ts';
export {
  defineJob,
  type JobDefinition,
  type JobStore,
  type Jobs,
  jobStoreFor,
  type RunningWorker,
  startWorker,
} from './platform/jobs/index.ts';
export { assertLazyModulesInstalled } from './platform/lazy-modules.ts';
export { appPersonalData, appRouter, createAppDeps } from './root.ts';
export type { Access, ProcedureMeta } from './trpc.ts';
