import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { clearSessionCookie, setSessionCookie } from '../../http/cookies.ts';
import { presentedCredential } from '../../http/credentials.ts';
import { assertOwnerOrAdmin, authedProcedure, publicProcedure } from '../../procedures.ts';
import {
  apiKeyPageSchema,
  apiKeySchema,
  changePasswordInput,
  createApiKeyInput,
  keyIdInput,
  listApiKeysInput,
  loginInput,
  okSchema,
  registerInput,
  requestPasswordResetInput,
  resetPasswordInput,
  sessionGrantSchema,
  sessionIdInput,
  sessionSchema,
  updateProfileInput,
  userIdInput,
  userSchema,
} from './schemas.ts';
import * as auth from './service.ts';

const client = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.userAgent });
const OK = { ok: true } as const;
/** Each call checks or makes an argon2 hash: one request per call, counted by the limits. */
const SPENDS_A_HASH = { unbatchable: true } as const;

export const authRouter = {
  register: publicProcedure
    .meta(SPENDS_A_HASH)
    .meta({ openapi: { method: 'POST', path: '/auth/register', tags: ['auth'], protect: false } })
    .input(registerInput)
    .output(sessionGrantSchema)
    .mutation(async ({ ctx, input }) => {
      const grant = await auth.register(ctx, input, client(ctx));
      setSessionCookie(ctx, grant.token, grant.expiresAt);
      return grant;
    }),

  login: publicProcedure
    .meta(SPENDS_A_HASH)
    .meta({ openapi: { method: 'POST', path: '/auth/login', tags: ['auth'], protect: false } })
    .input(loginInput)
    .output(sessionGrantSchema)
    .mutation(async ({ ctx, input }) => {
      const replacingToken =
        presentedCredential(ctx.headers, ctx.config.auth.cookieName)?.token ?? null;
      const grant = await auth.login(ctx, { ...input, replacingToken }, client(ctx));
      setSessionCookie(ctx, grant.token, grant.expiresAt);
      return grant;
    }),

  refresh: authedProcedure.output(sessionGrantSchema).mutation(async ({ ctx }) => {
    const grant = await auth.refresh(ctx, ctx.caller, client(ctx));
    setSessionCookie(ctx, grant.token, grant.expiresAt);
    return grant;
  }),

  logout: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'] } })
    .output(okSchema)
    .mutation(async ({ ctx }) => {
      await auth.logout(ctx, ctx.caller);
      clearSessionCookie(ctx);
      return OK;
    }),

  logoutAll: authedProcedure.output(z.object({ revoked: z.int() })).mutation(async ({ ctx }) => {
    const revoked = await auth.logoutAll(ctx, ctx.caller);
    clearSessionCookie(ctx);
    return { revoked };
  }),

  me: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/auth/me', tags: ['auth'] } })
    .output(userSchema)
    .query(({ ctx }) => auth.getUser(ctx, ctx.caller.user.id)),

  /** Another user's profile: administrators only, and said so here. */
  profile: authedProcedure
    .input(userIdInput)
    .output(userSchema)
    .query(({ ctx, input }) => {
      assertOwnerOrAdmin(ctx.caller, input.userId);
      return auth.getUser(ctx, input.userId);
    }),

  updateProfile: authedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/auth/me', tags: ['auth'] } })
    .input(updateProfileInput)
    .output(userSchema)
    .mutation(({ ctx, input }) => auth.updateProfile(ctx, ctx.caller, input)),

  changePassword: authedProcedure
    .meta(SPENDS_A_HASH)
    .input(changePasswordInput)
    .output(z.object({ otherSessionsRevoked: z.int() }))
    .mutation(async ({ ctx, input }) => ({
      otherSessionsRevoked: await auth.changePassword(ctx, ctx.caller, { ...input, ip: ctx.ip }),
    })),

  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await auth.requestPasswordReset(ctx, input.email, client(ctx));
      return OK;
    }),

  resetPassword: publicProcedure
    .meta(SPENDS_A_HASH)
    .input(resetPasswordInput)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await auth.resetPassword(ctx, input);
      return OK;
    }),

  sessions: {
    list: authedProcedure
      .output(z.array(sessionSchema))
      .query(({ ctx }) => auth.listSessions(ctx, ctx.caller)),
    revoke: authedProcedure
      .input(sessionIdInput)
      .output(okSchema)
      .mutation(async ({ ctx, input }) => {
        await auth.revokeSession(ctx, ctx.caller, input.sessionId);
        return OK;
      }),
  },

  apiKeys: {
    create: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/auth/api-keys', tags: ['auth'] } })
      .input(createApiKeyInput)
      .output(z.object({ secret: z.string(), key: apiKeySchema }))
      .mutation(async ({ ctx, input }) => {
        const { token, key } = await auth.createApiKey(ctx, ctx.caller, input);
        return { secret: token, key };
      }),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/auth/api-keys', tags: ['auth'] } })
      .input(listApiKeysInput)
      .output(apiKeyPageSchema)
      .query(({ ctx, input }) => auth.listApiKeys(ctx, ctx.caller, input)),
    revoke: authedProcedure
      .meta({ openapi: { method: 'DELETE', path: '/auth/api-keys/{keyId}', tags: ['auth'] } })
      .input(keyIdInput)
      .output(okSchema)
      .mutation(async ({ ctx, input }) => {
        await auth.revokeApiKey(ctx, ctx.caller, input.keyId);
        return OK;
      }),
  },
} satisfies TRPCRouterRecord;
