import type { HttpBindings } from '@hono/node-server';
import { unavailable } from '@phoenix/errors';
import type { Context as HonoContext } from 'hono';
import type { AppDeps, Caller } from '../context.ts';
import { requireCaller } from '../procedures.ts';
import { discardRest, type ReceivedUpload, receiveUpload, type SniffedType } from './upload.ts';
import type { HttpVariables } from './variables.ts';

type UploadContext = HonoContext<{ Bindings: HttpBindings; Variables: HttpVariables }>;

export interface UploadRouteOptions<T> {
  /** Largest file accepted (413 past it); e.g. `deps.config.media.uploadMaxBytes`. */
  maxBytes: number;
  /**
   * Uploads this door receives at once in this process (each may hold a storage write
   * buffer and the parser's); one more is refused with a 503 and `Retry-After` before its
   * body is read. E.g. `deps.config.media.uploadsInFlight`.
   */
  maxInFlight: number;
  /** Accepted types by `file-type` extension; audio and video by default. */
  allowed?: readonly string[];
  /** The storage key of this caller's file (one object per upload: include a fresh id). */
  keyFor(input: { caller: Caller; type: SniffedType }): string;
  /** Runs after authentication and before a byte of the body is read: rate limits, quotas. */
  admit?(caller: Caller): Promise<void>;
  /**
   * Records the stored file (a row, a job) and returns the JSON answer. If it throws, the
   * stored object is deleted before the error is answered.
   */
  onStored(input: { caller: Caller; upload: ReceivedUpload; c: UploadContext }): Promise<T>;
}

/** What a refusal for too many uploads in flight tells the client to wait. */
const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * A Hono handler for a streamed multipart upload, authenticated as tRPC mutations are (a
 * session cookie or token, or an API key with the write scope; cross-site cookie writes
 * refused), answering 201 with `onStored`'s result. Every refusal is a domain error, so
 * the app answers it in the hub's error shape (401, 413, 415, 400, 503...). Mount it
 * without the app's body limit (`limitBody: false`): it enforces its own.
 *
 * At most `maxInFlight` uploads are received at once (counted per handler, so per door and
 * process): past that, after authentication and before `admit` (a refused upload costs no
 * quota), the caller gets a 503 `TOO_MANY_UPLOADS` with `Retry-After`. The slot is taken
 * and given back in this handler alone, once, whatever ends the upload.
 */
export function uploadRoute<T>(
  deps: AppDeps,
  options: UploadRouteOptions<T>,
): (c: UploadContext) => Promise<Response> {
  let inFlight = 0;
  return async (c) => {
    const caller = await requireCaller(
      { headers: c.req.raw.headers, config: deps.config, auth: deps.auth },
      { admin: false, isWrite: true },
    );
    // No await between the check and the count: two requests cannot both take the last slot.
    if (inFlight >= options.maxInFlight) {
      await discardRest(c.env.incoming);
      throw unavailable(
        `The server is receiving too many uploads; retry in ${BUSY_RETRY_AFTER_SECONDS}s`,
        {
          reason: 'TOO_MANY_UPLOADS',
          retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
        },
      );
    }
    const gauge = { route: c.req.routePath };
    inFlight += 1;
    deps.metrics.uploadsInFlight.set(gauge, inFlight);
    try {
      return await receive(c, { deps, options, caller });
    } finally {
      inFlight -= 1;
      deps.metrics.uploadsInFlight.set(gauge, inFlight);
    }
  };
}

/** One upload holding a slot, from `admit` to the answer; the caller frees the slot. */
async function receive<T>(
  c: UploadContext,
  { deps, options, caller }: { deps: AppDeps; options: UploadRouteOptions<T>; caller: Caller },
): Promise<Response> {
  await options.admit?.(caller);
  const upload = await receiveUpload(c.env.incoming, {
    storage: deps.storage,
    maxBytes: options.maxBytes,
    keyFor: (type) => options.keyFor({ caller, type }),
    ...(options.allowed ? { allowed: options.allowed } : {}),
  });
  let answer: T;
  try {
    answer = await options.onStored({ caller, upload, c });
  } catch (error) {
    await deps.storage.delete(upload.key).catch(() => undefined);
    throw error;
  }
  return c.json(answer as object, 201);
}
