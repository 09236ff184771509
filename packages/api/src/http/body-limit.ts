import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Hono's `bodyLimit`, without its cost where the Node request already answers. Hono's
 * reads `c.req.raw.body` first, which makes @hono/node-server build a full `Request`
 * (headers converted, the body wrapped in a web stream) for every request, GETs included,
 * and sends the body read that follows through web streams instead of its direct read of
 * the Node request: about 8% of a billed gateway call's CPU (docs/architecture.md,
 * § Performance).
 *
 * Decided from the Node request: a GET or HEAD passes (@hono/node-server never reads their
 * bodies); a declared `Content-Length` above the limit is a 413 and one within it passes
 * (Node's parser never delivers more than it declares, and refuses one sent with
 * `Transfer-Encoding`). Anything else (a chunked body, or no length at all) goes through
 * Hono's counting read. Counting when no length is declared, rather than taking that as
 * "no body", keeps the limit even on a Node that frames a body by a header it leaves out
 * of `headers` (versions before 24.18.1 dropped headers past the thousandth from
 * `headers` but not from the parser).
 */
export function limitBody(
  maxBytes: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const counting = bodyLimit({ maxSize: maxBytes, onError });
  return async (c, next) => {
    const incoming = c.env?.incoming;
    if (!incoming) return counting(c, next);
    if (incoming.method === 'GET' || incoming.method === 'HEAD') return next();
    const declared = incoming.headers['content-length'];
    if (declared === undefined || incoming.headers['transfer-encoding'] !== undefined) {
      return counting(c, next);
    }
    return Number(declared) > maxBytes ? onError(c) : next();
  };
}
