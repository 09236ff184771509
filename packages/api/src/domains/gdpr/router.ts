import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure, authedProcedure } from '../../procedures.ts';
import { adminConsentsRouter, consentsRouter } from '../consents/index.ts';
import {
  adminRequestErasure,
  cancelErasure,
  erasureStatus,
  requestErasure,
} from './erasure.service.ts';
import { downloadLink, listExports, portableData, requestExport } from './export.service.ts';
import { listRequests } from './requests.service.ts';
import {
  adminCancelErasureInput,
  adminErasureInput,
  adminListRequestsInput,
  adminRequestPageSchema,
  downloadLinkSchema,
  erasureRequestInput,
  erasureSchema,
  erasureStatusSchema,
  exportIdInput,
  exportPageSchema,
  exportSchema,
  pageInput,
  portableSchema,
} from './schemas.ts';

/** The caller's own data: exports, erasure, consents. */
export const gdprRouter = {
  export: {
    request: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/gdpr/exports', tags: ['gdpr'] } })
      .output(exportSchema)
      .mutation(({ ctx }) => requestExport(ctx, ctx.caller.user.id)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/gdpr/exports', tags: ['gdpr'] } })
      .input(pageInput)
      .output(exportPageSchema)
      .query(({ ctx, input }) => listExports(ctx, ctx.caller.user.id, input)),
    download: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/gdpr/exports/{id}/download', tags: ['gdpr'] } })
      .input(exportIdInput)
      .output(downloadLinkSchema)
      .query(({ ctx, input }) => downloadLink(ctx, ctx.caller.user.id, input.id)),
    /** Article 20: the portable, machine-readable form of the same data. */
    data: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/gdpr/exports/data', tags: ['gdpr'] } })
      .output(portableSchema)
      .query(({ ctx }) => portableData(ctx, ctx.caller.user.id)),
  },
  erasure: {
    request: authedProcedure
      // It spends a password hash: a request of its own, never one of a batch's guesses.
      .meta({
        unbatchable: true,
        openapi: { method: 'POST', path: '/gdpr/erasure', tags: ['gdpr'] },
      })
      .input(erasureRequestInput)
      .output(erasureSchema)
      .mutation(({ ctx, input }) =>
        requestErasure(ctx, ctx.caller.user.id, { password: input.password, ip: ctx.ip }),
      ),
    get: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/gdpr/erasure', tags: ['gdpr'] } })
      .output(erasureStatusSchema)
      .query(({ ctx }) => erasureStatus(ctx, ctx.caller.user.id)),
    cancel: authedProcedure
      .meta({ openapi: { method: 'DELETE', path: '/gdpr/erasure', tags: ['gdpr'] } })
      .output(erasureSchema)
      .mutation(({ ctx }) => cancelErasure(ctx, ctx.caller.user.id)),
  },
  consents: consentsRouter,
} satisfies TRPCRouterRecord;

/** `admin.gdpr.*`: every request with its state, erasure on a user's behalf, consents. */
export const adminGdprRouter = {
  requests: {
    list: adminProcedure
      .input(adminListRequestsInput)
      .output(adminRequestPageSchema)
      .query(({ ctx, input }) => listRequests(ctx.db, input)),
  },
  erasure: {
    request: adminProcedure
      .input(adminErasureInput)
      .output(erasureSchema)
      .mutation(({ ctx, input }) => adminRequestErasure(ctx, ctx.audit, input)),
    /** Cancels a user's scheduled erasure (one already running cannot be); audited. */
    cancel: adminProcedure
      .input(adminCancelErasureInput)
      .output(erasureSchema)
      .mutation(({ ctx, input }) => cancelErasure(ctx, input.userId, ctx.audit)),
  },
  consents: adminConsentsRouter,
} satisfies TRPCRouterRecord;
