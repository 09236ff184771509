import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../context.ts';
import { clientIpResolver } from './client-ip.ts';
import { settleUnreadBody } from './request-body.ts';
import type { HttpVariables } from './variables.ts';

/** A caller's own request id is kept when it is short and plain; otherwise we mint one. */
const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Sent on every response, beside `x-request-id`. */
const FIXED_RESPONSE_HEADERS = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
] as const;

/**
 * The per-request envelope, in one middleware because every step here runs on every
 * request: request id, client IP, response headers, the unread body's settling, timing,
 * metrics and the access log.
 * It reads Node's already-parsed headers rather than building a fetch `Headers`, which
 * costs more than everything else here together (see bench/http).
 */
export function observeRequests(
  deps: AppDeps,
): MiddlewareHandler<{ Bindings: HttpBindings; Variables: HttpVariables }> {
  const resolveIp = clientIpResolver(deps.config.http.trustedProxies);
  const logRequests = deps.config.log.requests;
  const { bodyLimitBytes } = deps.config.http;
  // The access line's fields are fixed, and a route whose parameters can carry a secret
  // (a signed download link, a tracking token) is logged by its pattern: the redaction
  // paths (whose wildcards scan every line) are skipped for it, half the cost of a line.
  const accessLog = deps.log.child({}, { redact: { paths: [] } });
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.env?.incoming;
    const offered = incoming?.headers['x-request-id'];
    const requestId =
      typeof offered === 'string' && CALLER_REQUEST_ID.test(offered) ? offered : randomUUID();
    c.set('requestId', requestId);
    c.set('startedAt', started);
    c.set('clientIp', resolveIp(incoming));
    // Set on Node's response, which merges them into whatever the route answers (tRPC's
    // responses, Hono's, a stream, @hono/node-server's own 500), the route's own header
    // winning. Through Hono or tRPC's fetch `Headers` instead, they cost a validated set
    // each, twice over for tRPC's responses (Hono's prepared headers go unused there).
    // One cost of merging: should a route ever answer with a header Node refuses, the 500
    // @hono/node-server then writes keeps the route's headers copied before that one.
    const outgoing = c.env?.outgoing;
    if (outgoing) {
      outgoing.setHeader('x-request-id', requestId);
      for (const [name, value] of FIXED_RESPONSE_HEADERS) outgoing.setHeader(name, value);
    }
    await next();
    const settling = settleUnreadBody(c.env, bodyLimitBytes, c);
    if (settling) await settling;
    if (!outgoing) {
      // Served without Node (`app.request` in tests): set on the finished response, the
      // route's own header winning as it does on Node.
      const answered = c.res.headers;
      if (!answered.has('x-request-id')) c.header('x-request-id', requestId);
      for (const [name, value] of FIXED_RESPONSE_HEADERS)
        if (!answered.has(name)) c.header(name, value);
    }

    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const route = c.req.routePath;
    deps.metrics.httpRequests.observe(
      { method: c.req.method, route, status: String(status) },
      seconds,
    );
    if (logRequests) {
      accessLog.info(
        {
          requestId,
          method: c.req.method,
          path: route.includes('/:') ? route : c.req.path,
          status,
          ms: Math.round(seconds * 100_000) / 100,
          ip: c.get('clientIp'),
        },
        'request',
      );
    }
  };
}
