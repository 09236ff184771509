import type { TestServer } from './index.ts';

/** Audit rows for one resource, oldest first. */
export function auditRowsFor(server: TestServer, resourceId: string) {
  return server.deps.db
    .selectFrom('adminAuditLog')
    .selectAll()
    .where('resourceId', '=', resourceId)
    .orderBy('id')
    .execute();
}
