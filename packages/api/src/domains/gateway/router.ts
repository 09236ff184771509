import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { mapDomainErrors } from '../../errors/to-trpc.ts';
import { adminProcedure, authedProcedure } from '../../procedures.ts';
import { asyncIterableOf } from '../../schemas/async-iterable.ts';
import { adminGrantCredits } from './admin-grant.service.ts';
import { balanceOf, ledgerPage } from './credits.service.ts';
import { payerOf } from './payer.ts';
import {
  adminLedgerInput,
  adminLedgerSchema,
  balanceSchema,
  chatInput,
  chatResultSchema,
  chatStreamEventSchema,
  chatStreamInput,
  grantInput,
  grantResultSchema,
  providerReportSchema,
  routeSchema,
  transactionPageSchema,
  transactionsInput,
  usageDaySchema,
  usageInput,
} from './schemas.ts';
import { completeChat } from './service.ts';
import { streamChat } from './streaming.service.ts';
import { usageByDay } from './usage.service.ts';

export const gatewayRouter = {
  chat: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/gateway/chat', tags: ['gateway'] } })
    .input(chatInput)
    .output(chatResultSchema)
    .mutation(({ ctx, input }) => completeChat(ctx, payerOf(ctx.caller), input)),

  /** The same call streamed over SSE; `signal` fires when the client hangs up. */
  chatStream: authedProcedure
    .input(chatStreamInput)
    .output(asyncIterableOf(chatStreamEventSchema))
    .subscription(({ ctx, input, signal }) =>
      mapDomainErrors(streamChat(ctx, { payer: payerOf(ctx.caller), input, signal }), ctx),
    ),

  routes: authedProcedure.output(z.array(routeSchema)).query(({ ctx }) =>
    Object.entries(ctx.gateway.registry.routes).map(([name, targets]) => ({
      name,
      targets: targets.map((t) => ({
        ...t,
        available: ctx.gateway.registry.get(t.provider) !== undefined,
      })),
    })),
  ),

  usage: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/gateway/usage', tags: ['gateway'] } })
    .input(usageInput)
    .output(z.array(usageDaySchema))
    .query(({ ctx, input }) =>
      usageByDay(ctx.db, { days: input.days, userId: ctx.caller.user.id }),
    ),

  credits: {
    balance: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/gateway/credits/balance', tags: ['gateway'] } })
      .output(balanceSchema)
      .query(async ({ ctx }) => ({ balance: await balanceOf(ctx.db, ctx.caller.user.id) })),
    transactions: authedProcedure
      .meta({
        openapi: { method: 'GET', path: '/gateway/credits/transactions', tags: ['gateway'] },
      })
      .input(transactionsInput)
      .output(transactionPageSchema)
      .query(({ ctx, input }) => ledgerPage(ctx.db, { ...input, userId: ctx.caller.user.id })),
  },

  admin: {
    providers: adminProcedure.output(z.array(providerReportSchema)).query(async ({ ctx }) => {
      const reports = await ctx.gateway.router.snapshot();
      return reports.map((r) => ({ ...r, reason: r.reason ?? null }));
    }),
    usage: adminProcedure
      .input(usageInput)
      .output(z.array(usageDaySchema))
      .query(({ ctx, input }) => usageByDay(ctx.db, { days: input.days })),
    /** A user's balance and one page of their ledger, newest first. */
    ledger: adminProcedure
      .input(adminLedgerInput)
      .output(adminLedgerSchema)
      .query(async ({ ctx, input }) => {
        const [balance, page] = await Promise.all([
          balanceOf(ctx.db, input.userId),
          ledgerPage(ctx.db, input),
        ]);
        return { balance, ...page };
      }),
    grantCredits: adminProcedure
      .input(grantInput)
      .output(grantResultSchema)
      .mutation(({ ctx, input }) => adminGrantCredits(ctx, ctx.audit, input)),
  },
} satisfies TRPCRouterRecord;
