import { startTestServer, type TestServer, type TestServerOptions } from '../../testing/index.ts';

export const PASSWORD = 'correct horse battery staple';

/** Limits high enough that only the rate-limit tests ever meet them. */
export const ROOMY_ENV = {
  AUTH_REGISTER_PER_IP_PER_HOUR: '10000',
  ADMIN_READS_PER_MINUTE: '10000',
  ADMIN_WRITES_PER_MINUTE: '10000',
  ADMIN_DELETES_PER_MINUTE: '10000',
  ADMIN_EXPORTS_PER_MINUTE: '10000',
} as const;

export function startAdminTestServer(options: TestServerOptions = {}) {
  return startTestServer({ ...options, env: { ...ROOMY_ENV, ...options.env } });
}

let counter = 0;

/** Registers a user through the API; `admin` promotes it directly in the database. */
export async function signUp(server: TestServer, label: string, options: { admin?: boolean } = {}) {
  const email = `${label}-${++counter}-${Date.now()}@example.com`;
  const grant = await server
    .client()
    .auth.register.mutate({ email, password: PASSWORD, displayName: label });
  if (options.admin) {
    await server.deps.db
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', grant.user.id)
      .execute();
  }
  return { email, id: grant.user.id, token: grant.token, client: server.client(grant.token) };
}

/** Audit rows for one resource, oldest first. */
export function auditRowsFor(server: TestServer, resourceId: string) {
  return server.deps.db
    .selectFrom('adminAuditLog')
    .selectAll()
    .where('resourceId', '=', resourceId)
    .orderBy('id')
    .execute();
}
