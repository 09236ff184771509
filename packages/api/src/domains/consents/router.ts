import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure, authedProcedure } from '../../procedures.ts';
import {
  adminConsentsInput,
  consentHistoryInput,
  consentHistoryPageSchema,
  consentStatesSchema,
  setConsentInput,
} from './schemas.ts';
import { consentHistory, consentStates, consentStatesOf, setConsent } from './service.ts';

/** `gdpr.consents.*`: the caller's own consents. */
export const consentsRouter = {
  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/gdpr/consents', tags: ['gdpr'] } })
    .output(consentStatesSchema)
    .query(({ ctx }) => consentStates(ctx.db, ctx.caller.user.id)),
  set: authedProcedure
    .meta({ openapi: { method: 'PUT', path: '/gdpr/consents', tags: ['gdpr'] } })
    .input(setConsentInput)
    .output(consentStatesSchema)
    .mutation(({ ctx, input }) =>
      setConsent(ctx.db, { userId: ctx.caller.user.id, actor: 'user', ip: ctx.ip }, input),
    ),
  history: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/gdpr/consents/history', tags: ['gdpr'] } })
    .input(consentHistoryInput)
    .output(consentHistoryPageSchema)
    .query(({ ctx, input }) => consentHistory(ctx.db, ctx.caller.user.id, input)),
} satisfies TRPCRouterRecord;

/** `admin.gdpr.consents.*`: a user's consent state, read-only. */
export const adminConsentsRouter = {
  get: adminProcedure
    .input(adminConsentsInput)
    .output(consentStatesSchema)
    .query(({ ctx, input }) => consentStatesOf(ctx.db, input.userId)),
} satisfies TRPCRouterRecord;
