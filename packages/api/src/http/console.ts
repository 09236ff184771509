import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './error-response.ts';
import type { PlainRoutes } from './plain-routes.ts';

/**
 * Scripts only from our own origin (Vite emits no inline script); styles may be inline
 * because Mantine writes its CSS variables in a <style> element; calls only to the hub.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed file names change with their content: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: always revalidate it. */
export const NO_CACHE = 'no-cache';

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('content-security-policy', CONSOLE_CSP);
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  c.header('referrer-policy', 'same-origin');
  c.header('cross-origin-opener-policy', 'same-origin');
};

const notFound = (c: Context, message: string) => errorResponse(c, { code: 'NOT_FOUND', message });

/**
 * The admin console (apps/console, a static single-page app) at `/console`, from the
 * folder CONSOLE_DIR names: hashed assets immutable, everything else revalidated, unknown
 * paths answered with index.html so the app's own routes survive a reload. Files Vite
 * precompressed (`.gz`) are sent to browsers that accept gzip.
 */
export const consoleRoutes: PlainRoutes = {
  path: '/console',
  mount: (app, deps) => {
    const dir = deps.config.http.consoleDir;
    app.get('/console', (c) => c.redirect('/console/', 308));
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      app.get('/console/*', (c) =>
        notFound(
          c,
          'The admin console is not built: run `pnpm --filter @phoenix/console build` (npm run quickstart does it)',
        ),
      );
      return;
    }
    const from = (path: string) => path.slice('/console'.length);
    const serve = (cache: string, path?: string) =>
      serveStatic({
        root: dir,
        ...(path ? { path } : { rewriteRequestPath: from }),
        precompressed: true,
        onFound: (_file, c) => {
          c.header('cache-control', cache);
        },
      });
    app.use('/console/*', securityHeaders);
    // Build metadata (.vite/) and any dotfile stay private.
    app.get('/console/*', async (c, next) =>
      /\/\./.test(c.req.path) ? notFound(c, `No route GET ${c.req.path}`) : next(),
    );
    app.get('/console/assets/*', serve(IMMUTABLE));
    app.get('/console/assets/*', (c) => notFound(c, `No asset ${c.req.path}`));
    app.get('/console/*', serve(NO_CACHE));
    app.get('/console/*', serve(NO_CACHE, 'index.html'));
  },
};
