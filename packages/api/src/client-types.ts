import type {
  inferRouterInputs,
  inferRouterOutputs,
  TRPCBuiltRouter,
  TRPCDecorateCreateRouterOptions,
} from '@trpc/server';
import type { PhoenixErrorShape } from './errors/shape.ts';
import type { procedures } from './root.ts';

/**
 * The router as clients see it. Built from the procedure records rather than
 * `typeof appRouter`, whose root types name the server context (db, kv, logger): this
 * way the SDK's bundled .d.ts references nothing but @trpc/server.
 */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: PhoenixErrorShape; transformer: true },
  TRPCDecorateCreateRouterOptions<typeof procedures>
>;

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { ErrorReason } from '@phoenix/errors/reasons';
export type { FieldError, PhoenixErrorData, PhoenixErrorShape } from './errors/shape.ts';
