import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { domainErrorOf } from '../../errors/store-failure.ts';
import { httpStatusOf, trpcCodeFor } from '../../errors/to-trpc.ts';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import type { HttpVariables } from '../../http/variables.ts';
import { limitAdminCall } from '../../platform/rate-limits.ts';
import { requireCaller } from '../../procedures.ts';
import { dateTime } from '../../schemas/index.ts';
import { exportBody } from './audit/export-body.ts';
import { auditFilters } from './audit/schemas.ts';
import { streamAudit } from './audit/service.ts';

/** A date in the query string, within the years every date input accepts. */
const queryDate = z.coerce.date().pipe(dateTime()).optional();

/**
 * The whole query is checked before the first byte: once the 200 is sent, a bad value
 * could only break the body. Unknown keys are refused, so a misspelt filter is not
 * silently an export of everything.
 */
const queryInput = z.strictObject({ ...auditFilters.shape, from: queryDate, to: queryDate });

type Env = { Bindings: HttpBindings; Variables: HttpVariables };

/**
 * `GET /admin/audit/export.csv` and `.ndjson`: the whole audit log (with the list's
 * filters) streamed as it is read, for periods too long for the bounded tRPC export.
 * Administrators only (session or an admin-scoped API key), on the export rate budget.
 */
export function adminExportRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const exportAs = (format: 'csv' | 'ndjson') => async (c: Context<Env>) => {
    try {
      const caller = await requireCaller(
        { headers: c.req.raw.headers, config: deps.config, auth: deps.auth },
        { admin: true, isWrite: false },
      );
      const parsed = queryInput.safeParse(c.req.query());
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field =
          issue?.path.join('.') ||
          (issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
        return c.json({ error: { code: 'BAD_REQUEST', field, message: issue?.message } }, 400);
      }
      // A refused query reads nothing, so it spends none of the export budget.
      await limitAdminCall(deps, {
        adminId: caller.user.id,
        path: 'admin.audit.exportStream',
        type: 'query',
      });
      const rows = streamAudit(deps.db, parsed.data);
      // Read before answering, so a database that fails now gets a 5xx, not a broken 200.
      const first = await rows.next();
      const body = exportBody({
        format,
        first,
        rest: rows,
        onAbort: (err) =>
          deps.log.error({ err, requestId: c.get('requestId') }, 'audit export aborted'),
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return c.body(body, 200, {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'content-disposition': `attachment; filename="audit-log_${stamp}.${format}"`,
      });
    } catch (error) {
      const domain = domainErrorOf(deps, error, {
        requestId: c.get('requestId'),
        path: c.req.path,
      });
      if (!domain) throw error;
      const code = trpcCodeFor(domain.kind);
      if (domain.retryAfterSeconds !== undefined)
        c.header('retry-after', String(domain.retryAfterSeconds));
      return c.json(
        { error: { code, reason: domain.reason, message: domain.message } },
        httpStatusOf(code) as 400,
      );
    }
  };
  app.get('/audit/export.csv', exportAs('csv'));
  app.get('/audit/export.ndjson', exportAs('ndjson'));
  return app;
}

/** The streamed audit export under `/admin`. */
export const adminRoutes: PlainRoutes = {
  path: '/admin',
  mount: (app, deps) => app.route('/admin', adminExportRoutes(deps)),
};
