import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { requestTimeout } from '@phoenix/errors';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Longest the whole body may take to arrive; past it the connection is closed. */
  timeoutMs: number;
  onError(c: Context): Response | Promise<Response>;
}

/**
 * Bounds a request body in size and in time.
 *
 * Size: Hono's `bodyLimit`, without its cost where the Node request already answers.
 * Hono's reads `c.req.raw.body` first, which makes @hono/node-server build a full
 * `Request` (headers converted, the body wrapped in a web stream) for every request, GETs
 * included, and sends the body read that follows through web streams instead of its
 * direct read of the Node request: about 8% of a billed gateway call's CPU
 * (docs/architecture.md, § Performance). Decided from the Node request: a GET or HEAD
 * passes (@hono/node-server never reads their bodies); a declared `Content-Length` above
 * the limit is a 413 and one within it passes (Node's parser never delivers more than it
 * declares, and refuses one sent with `Transfer-Encoding`). Anything else (a chunked body,
 * or no length at all) goes through Hono's counting read. Counting when no length is
 * declared, rather than taking that as "no body", keeps the limit even on a Node that
 * frames a body by a header it leaves out of `headers` (versions before 24.18.1 dropped
 * headers past the thousandth from `headers` but not from the parser).
 *
 * Time: Node's own `requestTimeout` is server-wide, so it is set for the longest request
 * the hub takes (an upload, `requestTimeoutFor` in listen.ts); a body held to the size
 * limit gets `timeoutMs` here instead (`bodyArrivalDeadline`).
 */
export function limitBody(
  options: BodyLimitOptions,
): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const { maxBytes, timeoutMs, onError } = options;
  const counting = bodyLimit({ maxSize: maxBytes, onError });
  // Not async: a GET passes on the promise `next` returns, without one of its own.
  return (c, next) => {
    const incoming = c.env?.incoming;
    if (!incoming) return counting(c, next);
    if (incoming.method === 'GET' || incoming.method === 'HEAD') return next();
    bodyArrivalDeadline(incoming, timeoutMs);
    const declared = incoming.headers['content-length'];
    if (declared === undefined || incoming.headers['transfer-encoding'] !== undefined) {
      return counting(c, next);
    }
    return Number(declared) > maxBytes ? Promise.resolve(onError(c)) : next();
  };
}

/**
 * Closes the connection of a request whose body has not fully arrived `timeoutMs` after
 * this call, whoever is reading it (the handler, or the drain of a body nobody read): the
 * read fails with `REQUEST_TIMEOUT`. Ends with the body or the connection.
 */
function bodyArrivalDeadline(incoming: IncomingMessage, timeoutMs: number): void {
  if (incoming.complete) return;
  const timer = setTimeout(() => {
    if (incoming.complete) return;
    incoming.destroy(
      requestTimeout(`The request body did not arrive within ${timeoutMs / 1000} s`),
    );
  }, timeoutMs);
  const clear = () => clearTimeout(timer);
  incoming.once('end', clear);
  incoming.once('close', clear);
}
