import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../root.ts';
import type { TestServer } from '../../testing/index.ts';
import { signUp, startAdminTestServer } from '../../testing/index.ts';
import { baseProcedure, router } from '../../trpc.ts';

/**
 * The only procedures an anonymous caller may reach. Adding a public procedure means
 * adding it here, in review, on purpose.
 */
const PUBLIC_ALLOW_LIST = new Set([
  'system.health',
  'system.version',
  'auth.register',
  'auth.login',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  // The diagnostic's question catalog: static content, no user data.
  'aube.questions',
  // The pricing page: plans and credit packs from config, no user data.
  'billing.plans',
  'billing.packs',
]);
const LEVELS = new Set(['public', 'authenticated', 'admin']);

interface ProcedureInfo {
  path: string;
  type: string;
  access: string | undefined;
}

function proceduresOf(r: { _def: { procedures: object } }): ProcedureInfo[] {
  return Object.entries(r._def.procedures as Record<string, unknown>).map(([path, procedure]) => {
    const def = (procedure as { _def: { type: string; meta?: { access?: string } } })._def;
    return { path, type: def.type, access: def.meta?.access };
  });
}

const isAdminPath = (path: string) => path.startsWith('admin.') || path.includes('.admin.');

/** Every reason the router is not safe to ship; empty when it is. */
function accessProblems(procedures: ProcedureInfo[]): string[] {
  const problems: string[] = [];
  for (const p of procedures) {
    if (!p.access || !LEVELS.has(p.access)) problems.push(`${p.path}: no access level`);
    else if (p.access === 'public' && !PUBLIC_ALLOW_LIST.has(p.path))
      problems.push(`${p.path}: public but not on the allow-list`);
    if (isAdminPath(p.path) && p.access !== 'admin')
      problems.push(`${p.path}: admin path, not admin level`);
  }
  return problems;
}

const all = proceduresOf(appRouter);
let server: TestServer;
let user: Awaited<ReturnType<typeof signUp>>;
let userKey: string;
let adminReadKey: string;

type ErrorBody = { json?: { data?: { code?: string; reason?: string } } };

/**
 * The error a raw answer carries. A subscription is answered 200 with an SSE stream, and
 * tRPC sends the refusal as its `serialized-error` event (so EventSource clients get the
 * typed error); queries and mutations carry it in the JSON body.
 */
function errorOf(type: string, text: string): ErrorBody | undefined {
  try {
    if (type !== 'subscription') return (JSON.parse(text) as { error?: ErrorBody }).error;
    const event = /^event: serialized-error\ndata: (.*)$/m.exec(text);
    return event?.[1] ? (JSON.parse(event[1]) as ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** One raw HTTP call, as any client could make it; answers the status and the tRPC error code. */
async function call(p: ProcedureInfo, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${server.url}/trpc/${p.path}`;
  const response =
    p.type === 'mutation'
      ? await fetch(url, { method: 'POST', headers, body: '{"json":null}' })
      : await fetch(url, { headers });
  const data = errorOf(p.type, await response.text())?.json?.data;
  const status = p.type === 'subscription' && response.status === 200 ? 'sse' : response.status;
  return { status, code: data?.code, reason: data?.reason };
}

beforeAll(async () => {
  server = await startAdminTestServer();
  user = await signUp(server, { label: 'plain' });
  userKey = (
    await user.client.auth.apiKeys.create.mutate({ name: 'rw', scopes: ['read', 'write'] })
  ).secret;
  const admin = await signUp(server, { label: 'keyed-admin', role: 'admin' });
  adminReadKey = (
    await admin.client.auth.apiKeys.create.mutate({ name: 'r', scopes: ['read', 'write'] })
  ).secret;
});
afterAll(() => server.close());

describe('every procedure declares who may call it', () => {
  it('has an access level, and public ones are on the allow-list', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(accessProblems(all)).toEqual([]);
    // The walk below covers whatever the router holds; these must be in it.
    expect(all.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'admin.jobs.list',
        'admin.jobs.get',
        'admin.jobs.retry',
        'admin.webhooks.create',
        'admin.webhooks.regenerateSecret',
        'admin.webhookLogs.retry',
        'admin.stats.webhooks',
        'admin.emailTemplates.update',
        'admin.emailTemplates.sendTest',
        'admin.emailLogs.list',
        'admin.stats.emails',
      ]),
    );
  });

  it('fails for a procedure added without a level, or public by accident', () => {
    const careless = router({
      bare: baseProcedure.query(() => 1),
      admin: { peek: baseProcedure.meta({ access: 'authenticated' }).query(() => 1) },
      leak: baseProcedure.meta({ access: 'public' }).query(() => 1),
    });
    expect(accessProblems(proceduresOf(careless))).toEqual([
      'bare: no access level',
      'admin.peek: admin path, not admin level',
      'leak: public but not on the allow-list',
    ]);
  });
});

describe('over HTTP', () => {
  it('refuses an anonymous caller everywhere but the public allow-list', async () => {
    const guarded = all.filter((p) => !(p.access === 'public' && PUBLIC_ALLOW_LIST.has(p.path)));
    expect(guarded.length).toBeGreaterThan(0);
    const answers = await Promise.all(guarded.map(async (p) => [p.path, await call(p)] as const));
    expect(guarded.some((p) => p.type === 'subscription')).toBe(true);
    for (const [path, answer] of answers) {
      const type = all.find((p) => p.path === path)?.type;
      expect({ path, ...answer }).toEqual({
        path,
        status: type === 'subscription' ? 'sse' : 401,
        code: 'UNAUTHORIZED',
        reason: 'UNAUTHENTICATED',
      });
    }
  });

  it('refuses a non-admin session and a non-admin API key on every admin procedure', async () => {
    const admin = all.filter((p) => isAdminPath(p.path));
    expect(admin.length).toBeGreaterThan(20);
    for (const p of admin) {
      for (const [who, token] of [
        ['session', user.token],
        ['api key', userKey],
      ] as const) {
        const answer = await call(p, token);
        expect({ path: p.path, who, ...answer }).toEqual({
          path: p.path,
          who,
          status: 403,
          code: 'FORBIDDEN',
          reason: 'ADMIN_ONLY',
        });
      }
      // An administrator's key without the admin scope is no admin key either.
      expect({ path: p.path, ...(await call(p, adminReadKey)) }).toMatchObject({
        path: p.path,
        status: 403,
        reason: 'API_KEY_SCOPE',
      });
    }
  });
});
