import type { HttpBindings } from '@hono/node-server';
import { DomainError, unavailable } from '@phoenix/errors';
import type { Context as HonoContext } from 'hono';
import type { AppDeps, Caller } from '../context.ts';
import { requireCaller } from '../procedures.ts';
import { bodyIdleDeadline } from './body-idle.ts';
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
  /**
   * Longest silence in the body: when no byte arrives for this long, the upload fails with a
   * 408 `REQUEST_TIMEOUT`, nothing is kept, its slot is freed and the connection closed. A
   * limit on each pause, not on the whole upload. E.g. `deps.config.media.uploadIdleSeconds`.
   */
  idleSeconds: number;
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
 * Uploads one user may have in flight in this process at once: the idle deadline bounds a
 * silence, not a trickle, so without this one account could hold every slot.
 */
const IN_FLIGHT_PER_USER = 2;

/**
 * A Hono handler for a streamed multipart upload, authenticated as tRPC mutations are (a
 * session cookie or token, or an API key with the write scope; cross-site cookie writes
 * refused), answering 201 with `onStored`'s result. Every refusal is a domain error, so
 * the app answers it in the hub's error shape (401, 413, 415, 400, 408, 503...). Mount it
 * without the app's body limit (`limitBody: false`): it enforces its own.
 *
 * At most `maxInFlight` uploads are received at once (counted per handler, so per door and
 * process): past that, after authentication and before `admit` (a refused upload costs no
 * quota), the caller gets a 503 `TOO_MANY_UPLOADS` with `Retry-After`. The slot is taken
 * and given back in `admitted` alone, once, whatever ends the upload. The body has an idle
 * deadline (`idleSeconds`, `bodyIdleDeadline`) for as long as this handler runs, so a client
 * that goes silent cannot hold a slot (or a refused body's drain) until Node's own
 * `requestTimeout`.
 */
export function uploadRoute<T>(
  deps: AppDeps,
  options: UploadRouteOptions<T>,
): (c: UploadContext) => Promise<Response> {
  const slots: Slots = { inFlight: 0, byUser: new Map() };
  return async (c) => {
    const idle = bodyIdleDeadline(c.env, options.idleSeconds);
    try {
      return await admitted(c, { deps, options, slots, signal: idle.signal });
    } finally {
      idle.clear();
    }
  };
}

/** One upload from authentication to the answer, holding a slot if one is free. */
async function admitted<T>(
  c: UploadContext,
  at: {
    deps: AppDeps;
    options: UploadRouteOptions<T>;
    slots: Slots;
    signal: AbortSignal;
  },
): Promise<Response> {
  const { deps, options, slots, signal } = at;
  const caller = await requireCaller(
    { headers: c.req.raw.headers, config: deps.config, auth: deps.auth },
    { admin: false, isWrite: true },
  );
  // No await between the check and the count: two requests cannot both take the last slot.
  if (slots.inFlight >= options.maxInFlight) {
    await discardRest(c.env.incoming, signal);
    throw unavailable(
      `The server is receiving too many uploads; retry in ${BUSY_RETRY_AFTER_SECONDS}s`,
      {
        reason: 'TOO_MANY_UPLOADS',
        retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      },
    );
  }
  const userId = caller.user.id;
  const mine = slots.byUser.get(userId) ?? 0;
  if (mine >= IN_FLIGHT_PER_USER) {
    await discardRest(c.env.incoming, signal);
    throw new DomainError(
      'rate_limited',
      `You already have ${IN_FLIGHT_PER_USER} uploads in progress; retry when one has finished`,
      { reason: 'UPLOADS_IN_PROGRESS', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
    );
  }
  const gauge = { route: c.req.routePath };
  slots.inFlight += 1;
  slots.byUser.set(userId, mine + 1);
  deps.metrics.uploadsInFlight.set(gauge, slots.inFlight);
  try {
    return await receive(c, { deps, options, caller, signal });
  } finally {
    slots.inFlight -= 1;
    const left = (slots.byUser.get(userId) ?? 1) - 1;
    if (left > 0) slots.byUser.set(userId, left);
    else slots.byUser.delete(userId);
    deps.metrics.uploadsInFlight.set(gauge, slots.inFlight);
  }
}

interface Slots {
  inFlight: number;
  byUser: Map<string, number>;
}

/** One upload holding a slot, from `admit` to the answer; the caller frees the slot. */
async function receive<T>(
  c: UploadContext,
  at: { deps: AppDeps; options: UploadRouteOptions<T>; caller: Caller; signal: AbortSignal },
): Promise<Response> {
  const { deps, options, caller, signal } = at;
  await options.admit?.(caller);
  const upload = await receiveUpload(c.env.incoming, {
    storage: deps.storage,
    maxBytes: options.maxBytes,
    keyFor: (type) => options.keyFor({ caller, type }),
    signal,
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
