import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';
import type { HttpBindings } from '@hono/node-server';

/**
 * A response decided before the request body was read (a refusal before input parsing,
 * a 413 on Content-Length) must not leave unread bytes on a kept-alive socket: Node and
 * @hono/node-server would then close it after advertising keep-alive (the client's next
 * request on it gets ECONNRESET), or reset it while the client is still sending.
 *
 * A body within the limit that nobody touched is read to its end and discarded before
 * the response goes out, so the connection stays usable. Anything else (over the limit,
 * no length, partly read) gets `Connection: close`, which makes Node end the connection
 * itself once the response is flushed, instead of reusing or resetting it.
 *
 * Called by `observeRequests` once the route has answered, rather than being a middleware
 * of its own: a level of Hono middleware costs every request its own promises.
 */
export function settleUnreadBody(
  http: Partial<HttpBindings> | undefined,
  limitBytes: number,
  answered: { res: Response },
): Promise<void> | undefined {
  const incoming = http?.incoming;
  // The common case answers without a promise: this runs after every request.
  if (!incoming || incoming.complete || incoming.readableEnded) return;
  return drainOrClose({ incoming, outgoing: http?.outgoing }, limitBytes, answered);
}

async function drainOrClose(
  {
    incoming,
    outgoing,
  }: { incoming: IncomingMessage; outgoing: HttpBindings['outgoing'] | undefined },
  limitBytes: number,
  answered: { res: Response },
): Promise<void> {
  if (untouched(incoming) && declaredLength(incoming) <= limitBytes) {
    try {
      incoming.resume();
      await finished(incoming);
      return;
    } catch {
      // The client went away mid-body: nothing left to keep alive.
    }
  }
  // On Node's response it cannot fail, whatever the route answered with (a fetched
  // Response's headers are immutable); Node merges it into the route's headers.
  if (outgoing) outgoing.setHeader('connection', 'close');
  else answered.res.headers.set('connection', 'close');
}

function untouched(incoming: IncomingMessage): boolean {
  return incoming.readableFlowing === null && !incoming.readableDidRead;
}

function declaredLength(incoming: IncomingMessage): number {
  const length = Number(incoming.headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 ? length : Number.POSITIVE_INFINITY;
}
