import type { HttpBindings } from '@hono/node-server';
import { requestTimeout } from '@phoenix/errors';

/** A deadline on the silence of one request's body; see `bodyIdleDeadline`. */
export interface BodyIdleDeadline {
  /** Aborted, with a 408 `REQUEST_TIMEOUT` domain error as its reason, when the client went silent. */
  readonly signal: AbortSignal;
  /** Turns the deadline off and gives the socket its own timeout back (idempotent). */
  clear(): void;
}

/**
 * Fails a request whose client stops sending its body: once no byte arrived for
 * `idleSeconds` while the handler was reading, `signal` aborts. It is Node's socket timeout
 * (`socket.setTimeout`, refreshed by every read), so it bounds each silence, not the whole
 * body: a slow but steady upload never trips it.
 *
 * Time the client is not to blame for does not count: while the handler is not reading (the
 * body not started yet, or paused because storage is slower than the client), a timeout
 * only starts another period. The `'timeout'` is taken on the response (Node tells it
 * whether or not the body is complete, and destroys a socket whose timeout nobody heard).
 * The deadline ends by itself with the body (`'end'`, `'close'`); call `clear` once the
 * handler is done with the body anyway, so it never fires on a later request of a
 * kept-alive connection.
 */
export function bodyIdleDeadline(http: HttpBindings, idleSeconds: number): BodyIdleDeadline {
  const { incoming, outgoing } = http;
  const socket = incoming.socket;
  const before = socket.timeout ?? 0;
  const idleMs = idleSeconds * 1000;
  const controller = new AbortController();
  let cleared = false;
  const clear = (): void => {
    if (cleared) return;
    cleared = true;
    outgoing.off('timeout', onTimeout);
    incoming.off('end', clear);
    incoming.off('close', clear);
    socket.setTimeout(before);
  };
  const onTimeout = (): void => {
    // The client sent everything: what is left is the handler's own time.
    if (incoming.complete) {
      clear();
      return;
    }
    if (incoming.readableFlowing !== true) {
      socket.setTimeout(idleMs);
      return;
    }
    clear();
    controller.abort(requestTimeout(`No bytes of the request body arrived for ${idleSeconds}s`));
  };
  outgoing.on('timeout', onTimeout);
  incoming.once('end', clear);
  incoming.once('close', clear);
  socket.setTimeout(idleMs);
  return { signal: controller.signal, clear };
}
