import { invalid } from '@phoenix/errors';
import { initTRPC } from '@trpc/server';
import type { Context } from './context.ts';
import { formatError } from './errors/shape.ts';
import { domainErrorOf } from './errors/store-failure.ts';
import { toTRPCError } from './errors/to-trpc.ts';
import { requestIdOfError } from './http/error-request-ids.ts';
import { hubTransformer } from './transformer.ts';

/** Who may call a procedure. Every procedure declares one; a test walks the router to prove it. */
export type Access = 'public' | 'authenticated' | 'admin';

/**
 * How a procedure is also served as REST under `/api` (and described in
 * `/api/openapi.json`): the subset of trpc-to-openapi's `openapi` meta the hub uses. Spelt
 * out here rather than imported: the meta type travels in `AppRouter`, and the published
 * SDK's types must not name a server package.
 */
export type RestRoute = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: `/${string}`;
  summary?: string;
  description?: string;
  tags?: string[];
  /** Needs a bearer token (shown as such in the document). */
  protect?: boolean;
};

/** A procedure's metadata. */
export type ProcedureMeta = {
  access?: Access;
  /**
   * The call spends a password hash (login, register, password change): it must come in
   * a request of its own, so that no batch can put many guesses behind one request.
   */
  unbatchable?: boolean;
  openapi?: RestRoute;
};

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: hubTransformer,
    errorFormatter: ({ error, shape, path, ctx }) =>
      formatError({ error, shape, path, requestId: ctx?.requestId ?? requestIdOfError(error) }),
    sse: {
      // Keeps proxies from closing a stream that waits on a slow first token.
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
  });

/**
 * Turns domain errors (and store failures, as 503s) into tRPC errors and counts every call;
 * refuses an unbatchable call that arrived beside others in one batch. One middleware, not
 * two: each level of tRPC middleware costs every call its own spreads and promises.
 */
const observe = t.middleware(async ({ ctx, meta, path, type, next }) => {
  const refusal = batchRefusal(ctx, meta, path);
  const result = refusal ? null : await next();
  const domain =
    refusal ??
    (result && !result.ok
      ? domainErrorOf(ctx, result.error.cause, { requestId: ctx.requestId, path })
      : null);
  const mapped = domain ? toTRPCError(domain) : null;
  const code = result?.ok ? 'OK' : (mapped?.code ?? result?.error.code ?? 'INTERNAL_SERVER_ERROR');
  ctx.metrics.procedureCalls.inc({ path, type, code });
  if (result && (!domain || !mapped)) return result;
  if (domain?.retryAfterSeconds !== undefined) {
    ctx.resHeaders.set('retry-after', String(domain.retryAfterSeconds));
  }
  throw mapped;
});

/** The refusal of an unbatchable call that arrived beside others in one batch, if it did. */
function batchRefusal(ctx: Context, meta: ProcedureMeta | undefined, path: string) {
  if (!meta?.unbatchable || ctx.batchSize <= 1) return null;
  return invalid(
    `${path} checks a password and cannot be batched; send it as a request of its own`,
    { reason: 'BATCH_NOT_ALLOWED' },
  );
}

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** For later procedure levels to build on; not for routers to use directly. */
export const baseProcedure = t.procedure.use(observe);
