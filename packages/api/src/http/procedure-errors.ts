import type { TRPCError } from '@trpc/server';
import type { AppDeps } from '../context.ts';
import { captureError } from '../platform/error-log/capture.ts';
import { tagRequestId } from './error-request-ids.ts';

/**
 * What the tRPC and REST doors do with a failed procedure call: a crash is logged and
 * kept in the admin error log (off the response path), a refusal only logged at debug.
 */
export function reportProcedureError(
  deps: AppDeps,
  failure: { error: TRPCError; requestId: string; path: string | undefined; type: string },
): void {
  const { error, requestId, path, type } = failure;
  tagRequestId(error, requestId);
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    deps.log.error({ err: error.cause ?? error, requestId, path, type }, 'procedure failed');
    // A failure to record is only logged.
    void captureError(deps.db, {
      error: error.cause ?? error,
      path: path ?? null,
      requestId,
    }).catch((err: unknown) => deps.log.warn({ err, requestId }, 'error log capture failed'));
  } else {
    deps.log.debug(
      { requestId, path, code: error.code, message: error.message },
      'procedure refused',
    );
  }
}
