import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { AppDeps } from '../../context.ts';
import { errorResponse } from '../../http/error-response.ts';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import type { HttpVariables } from '../../http/variables.ts';
import { linkKey, verifyDownload } from './link.ts';

/**
 * `GET /gdpr/download/<signed>`: the archive, for whoever holds the link until it expires
 * (the link is the credential, as in the email). Each download is logged.
 */
export function gdprDownloadRoutes(deps: AppDeps): Hono<{ Variables: HttpVariables }> {
  const app = new Hono<{ Variables: HttpVariables }>();
  app.get('/download/:token', async (c) => {
    const claims = verifyDownload(linkKey(deps.config.gdpr.linkSecret), c.req.param('token'));
    if (!claims) {
      return errorResponse(c, {
        code: 'BAD_REQUEST',
        message: 'This download link is invalid',
        reason: 'EXPORT_LINK_INVALID',
      });
    }
    const now = deps.clock.now();
    const request = await deps.db
      .selectFrom('gdprRequests')
      .select(['id', 'status', 'storageKey', 'expiresAt', 'bytes'])
      .where('id', '=', claims.requestId)
      .where('kind', '=', 'export')
      .executeTakeFirst();
    const live =
      request?.status === 'ready' &&
      request.storageKey &&
      request.expiresAt &&
      request.expiresAt.getTime() > now &&
      claims.expiresMs > now;
    if (!request || !live || !request.storageKey) {
      return errorResponse(c, {
        code: 'FORBIDDEN',
        message: 'This download link has expired; ask for a new export',
        reason: 'EXPORT_LINK_EXPIRED',
      });
    }
    const body = await deps.storage.get(request.storageKey);
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('gdprExportDownloads')
        .values({
          requestId: request.id,
          ip: c.get('clientIp') ?? null,
          userAgent: c.req.header('user-agent') ?? null,
        })
        .execute();
      await trx
        .updateTable('gdprRequests')
        .set((eb) => ({ downloadCount: eb('downloadCount', '+', 1) }))
        .where('id', '=', request.id)
        .execute();
    });
    return c.body(Readable.toWeb(body) as ReadableStream, 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="phoenix-export-${request.id}.zip"`,
      'cache-control': 'no-store',
      ...(request.bytes ? { 'content-length': String(request.bytes) } : {}),
    });
  });
  return app;
}

/** Mounted by the app under `/gdpr` (GETs only). */
export const gdprRoutes: PlainRoutes = {
  path: '/gdpr',
  mount: (app, deps) => app.route('/gdpr', gdprDownloadRoutes(deps)),
};
