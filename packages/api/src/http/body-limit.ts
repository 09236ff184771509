import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Hono's `bodyLimit`, without its cost where the Node request already answers. Hono's
 * reads `c.req.raw.body` first, which makes @hono/node-server build a full `Request`
 * (headers converted, the body wrapped in a web stream) for every request, GETs included,
 * and sends the body read that follows through web streams instead of its direct read of
 * the Node request: about 8% of a billed gateway call's CPU (docs/architecture.md,
 * § Performance). Node's parser never delivers more than a declared `Content-Length`, and
 * a request with neither a length nor `Transfer-Encoding` has no body (RFC 9112 § 6.3), so
 * only a chunked body goes through Hono's counting read.
 */
export function limitBody(
  maxBytes: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const counting = bodyLimit({ maxSize: maxBytes, onError });
  return async (c, next) => {
    const incoming = c.env?.incoming;
    if (!incoming || incoming.headers['transfer-encoding'] !== undefined) {
      return counting(c, next);
    }
    const declared = incoming.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) return onError(c);
    await next();
  };
}
