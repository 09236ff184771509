import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { errorResponse } from '../../http/error-response.ts';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import { markClicked, markOpened } from './logs.service.ts';
import { trackingKey, verifyTracking } from './tracking.ts';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * `/e/o/<signed>` (open pixel) and `/e/c/<signed>` (click redirect). A click goes only to
 * the URL its token was signed with, so the hub is no open redirect; a tampered token is
 * refused.
 */
export function emailTrackingRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const key = () => trackingKey(deps.config.email.trackingSecret);
  const refused = (c: Parameters<typeof errorResponse>[0]) =>
    errorResponse(c, {
      code: 'BAD_REQUEST',
      message: 'This tracking link is invalid',
      reason: 'TRACKING_LINK_INVALID',
    });

  app.get('/o/:token', async (c) => {
    const claims = verifyTracking(key(), c.req.param('token'));
    if (!claims || claims.u) return refused(c);
    await markOpened(deps.db, claims.l);
    return c.body(PIXEL, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
  });
  app.get('/c/:token', async (c) => {
    const claims = verifyTracking(key(), c.req.param('token'));
    if (!claims?.u) return refused(c);
    await markClicked(deps.db, claims.l);
    return c.redirect(claims.u, 302);
  });
  return app;
}

/** Mounted by the app under `/e` (no request bodies: GETs only). */
export const emailRoutes: PlainRoutes = {
  path: '/e',
  mount: (app, deps) => app.route('/e', emailTrackingRoutes(deps)),
};
