import { looksLikeApiKey } from '@phoenix/auth';
import type { ApiKeyScope } from '@phoenix/db';
import { forbidden, unauthenticated } from '@phoenix/errors';
import type { Caller, Context } from './context.ts';
import { isCrossSiteWrite, presentedCredential } from './http/credentials.ts';
import { createAuditTrail, insertAuditRow } from './platform/audit/trail.ts';
import { limitAdminCall } from './platform/rate-limits.ts';
import { baseProcedure, middleware } from './trpc.ts';

/** The caller a request's bearer token or session cookie names, or null; used beyond tRPC too. */
export async function identify(
  ctx: Pick<Context, 'headers' | 'config' | 'auth'>,
): Promise<Caller | null> {
  const credential = presentedCredential(ctx.headers, ctx.config.auth.cookieName);
  if (!credential) return null;
  if (looksLikeApiKey(credential.token)) {
    const found = await ctx.auth.apiKeys.validate(credential.token);
    return found
      ? { user: found.user, apiKey: found.key, session: null, via: credential.via }
      : null;
  }
  const found = await ctx.auth.sessions.validate(credential.token);
  return found
    ? { user: found.user, session: found.session, apiKey: null, via: credential.via }
    : null;
}

function scopeAllows(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  if (needed === 'read') return scopes.includes('read') || scopes.includes('write');
  return scopes.includes(needed);
}

/**
 * The one rule for what an identified caller may do: administrators for admin-level
 * calls, and an API key only within its scopes. The tRPC levels and the plain HTTP
 * routes (OpenAI-compatible, audit export) all ask here.
 */
export function authorize(caller: Caller, call: { admin: boolean; isWrite: boolean }): void {
  if (call.admin && caller.user.role !== 'admin') {
    throw forbidden('Administrators only', { reason: 'ADMIN_ONLY' });
  }
  if (caller.apiKey) {
    const needed: ApiKeyScope = call.admin ? 'admin' : call.isWrite ? 'write' : 'read';
    if (!scopeAllows(caller.apiKey.scopes, needed)) {
      throw forbidden(`This API key lacks the "${needed}" scope`, { reason: 'API_KEY_SCOPE' });
    }
  }
}

export interface CallerRequirement {
  admin: boolean;
  isWrite: boolean;
  /** Only an API key sent as the bearer token will do (the OpenAI-compatible doors). */
  apiKeyOnly?: boolean;
}

/**
 * The one authentication step, for procedures and plain HTTP routes alike: the caller a
 * request names, refused when missing, cross-site (cookie writes) or not allowed the call.
 */
export async function requireCaller(
  ctx: Pick<Context, 'headers' | 'config' | 'auth'>,
  call: CallerRequirement,
): Promise<Caller> {
  const caller = await identify(ctx);
  if (call.apiKeyOnly && (!caller?.apiKey || caller.via !== 'bearer')) {
    throw unauthenticated('Send an API key as the bearer token', { reason: 'INVALID_API_KEY' });
  }
  if (!caller) {
    throw unauthenticated('Sign in or send a valid API key', { reason: 'UNAUTHENTICATED' });
  }
  if (
    caller.via === 'cookie' &&
    call.isWrite &&
    isCrossSiteWrite(ctx.headers, ctx.config.http.corsOrigins)
  ) {
    throw forbidden('Cross-site request refused', { reason: 'CROSS_SITE_REQUEST' });
  }
  authorize(caller, call);
  return caller;
}

/**
 * Resolves the caller from a session or API key and narrows the context: code after
 * this never checks for a missing user again.
 */
const authenticate = middleware(async ({ ctx, meta, type, next }) => {
  const caller = await requireCaller(ctx, {
    admin: meta?.access === 'admin',
    isWrite: type !== 'query',
  });
  return next({ ctx: { caller } });
});

/** Anyone, signed in or not. */
export const publicProcedure = baseProcedure.meta({ access: 'public' });

/** Anyone signed in, with a session or an API key whose scope fits the call. */
export const authedProcedure = baseProcedure.meta({ access: 'authenticated' }).use(authenticate);

/**
 * Administrators only (and API keys with the `admin` scope of an administrator), each
 * call spending the administrator's per-minute budget, every write leaving an audit row.
 */
export const adminProcedure = baseProcedure
  .meta({ access: 'admin' })
  .use(authenticate)
  .use(async ({ ctx, path, type, getRawInput, next }) => {
    const { user } = ctx.caller;
    await limitAdminCall(ctx, { adminId: user.id, path, type });
    const audit = createAuditTrail({
      adminId: user.id,
      adminEmail: user.email,
      action: path,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
    });
    const result = await next({ ctx: { audit } });
    // Services record their writes inside their own transaction; this only catches a
    // write that forgot to, so no admin write ever goes unrecorded.
    if (result.ok && type === 'mutation' && audit.recorded === 0) {
      ctx.log.warn({ path }, 'admin write recorded no audit row; writing a fallback row');
      await insertAuditRow(ctx.db, audit.actor, {
        resourceType: 'unknown',
        newValue: { input: await getRawInput() },
      });
    }
    return result;
  });

/** A user reaches only their own rows. */
export function assertOwner(caller: Caller, ownerId: string): void {
  if (caller.user.id !== ownerId)
    throw forbidden('This belongs to another user', { reason: 'NOT_OWNER' });
}

/**
 * The owner, or an administrator acting on someone else's data: explicit where it is
 * allowed. Through an API key, only one with the `admin` scope acts as the administrator
 * (as for `adminProcedure`): an admin's read-only key reads only its owner's rows.
 */
export function assertOwnerOrAdmin(caller: Caller, ownerId: string): void {
  const actsAsAdmin =
    caller.user.role === 'admin' && (!caller.apiKey || caller.apiKey.scopes.includes('admin'));
  if (actsAsAdmin) return;
  assertOwner(caller, ownerId);
}
