export type { AppRouter, RouterInputs, RouterOutputs } from './client-types.ts';
export type { AppDeps, Caller, Context, RequestInfo } from './context.ts';
export { type BaseDeps, createAppDeps } from './deps.ts';
export { refundAbandonedCalls } from './domains/gateway/abandoned-calls.ts';
export type { FieldError, PhoenixErrorData, PhoenixErrorShape } from './errors/shape.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { appRouter } from './root.ts';
export type { Access, ProcedureMeta } from './trpc.ts';
