import type { HttpBindings } from '@hono/node-server';
import { unauthenticated } from '@phoenix/errors';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { csvField } from '../domains/admin/audit/csv.ts';
import { auditFilters } from '../domains/admin/audit/schemas.ts';
import { COLUMNS, streamAudit } from '../domains/admin/audit/service.ts';
import { limitAdminCall } from '../domains/admin/limits.ts';
import { domainErrorOf } from '../errors/store-failure.ts';
import { httpStatusOf, trpcCodeFor } from '../errors/to-trpc.ts';
import { authorize, identify } from '../procedures.ts';
import type { HttpVariables } from './variables.ts';

const queryInput = auditFilters.extend({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

type Env = { Bindings: HttpBindings; Variables: HttpVariables };

/**
 * `GET /admin/audit/export.csv` and `.ndjson`: the whole audit log (with the list's
 * filters) streamed as it is read, for periods too long for the bounded tRPC export.
 * Administrators only (session or an admin-scoped API key), on the export rate budget.
 */
export function adminExportRoutes(deps: AppDeps) {
  const app = new Hono<Env>();
  const exportAs = (format: 'csv' | 'ndjson') => async (c: Context<Env>) => {
    try {
      const caller = await identify({
        headers: c.req.raw.headers,
        config: deps.config,
        auth: deps.auth,
      });
      if (!caller) throw unauthenticated();
      authorize(caller, { admin: true, isWrite: false });
      await limitAdminCall(deps, {
        adminId: caller.user.id,
        path: 'admin.audit.exportStream',
        type: 'query',
      });
      const parsed = queryInput.safeParse(c.req.query());
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return c.json(
          { error: { code: 'BAD_REQUEST', field: issue?.path.join('.'), message: issue?.message } },
          400,
        );
      }
      const encoder = new TextEncoder();
      const rows = streamAudit(deps.db, parsed.data);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          if (format === 'csv') controller.enqueue(encoder.encode(`${COLUMNS.join(',')}\r\n`));
        },
        async pull(controller) {
          const next = await rows.next();
          if (next.done) {
            controller.close();
            return;
          }
          const text = next.value
            .map((row) =>
              format === 'csv'
                ? `${COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`
                : `${JSON.stringify(row)}\n`,
            )
            .join('');
          controller.enqueue(encoder.encode(text));
        },
        async cancel() {
          await rows.return(undefined);
        },
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
