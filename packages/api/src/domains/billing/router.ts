import { createLimit } from '@phoenix/auth';
import type { Kv } from '@phoenix/kv';
import type { TRPCRouterRecord } from '@trpc/server';
import type { Context } from '../../context.ts';
import { adminProcedure, authedProcedure, publicProcedure } from '../../procedures.ts';
import { changeSubscription, getEvent, listEvents, replayEvent } from './admin.service.ts';
import { listPacks, listPlans } from './catalogue.ts';
import { type Payer, portal, subscribe, topUp } from './checkout.service.ts';
import {
  billingEventDetailSchema,
  billingEventPageSchema,
  changedSubscriptionSchema,
  changeSubscriptionInput,
  checkoutSchema,
  eventIdInput,
  historyPageSchema,
  invoicePageSchema,
  listEventsInput,
  packListSchema,
  pageInput,
  planListSchema,
  portalInput,
  portalSchema,
  replayedSchema,
  subscribeInput,
  subscriptionSchema,
  topUpInput,
} from './schemas.ts';
import { listHistory, listInvoices, subscriptionOf } from './subscription.service.ts';

const limits = new WeakMap<Kv, (key: string) => Promise<void>>();

/** BILLING_CHECKOUTS_PER_HOUR per user, shared by every process through the kv. */
async function limitCheckouts(ctx: Context, userId: string): Promise<void> {
  let limit = limits.get(ctx.kv);
  if (!limit) {
    limit = createLimit(ctx.kv, {
      name: 'billing:checkout',
      points: ctx.config.billing.checkoutsPerHour,
      durationSeconds: 3600,
    });
    limits.set(ctx.kv, limit);
  }
  await limit(userId);
}

/** The caller, and the hub's address as they reached it (the fake checkout page's). */
function payerOf(ctx: Context & { caller: { user: Payer['user'] } }): Payer {
  const base = ctx.config.http.publicUrl ?? `http://${ctx.headers.get('host') ?? 'localhost'}`;
  return { user: ctx.caller.user, baseUrl: base.replace(/\/$/, '') };
}

const tags = ['billing'];

/** Plans, packs and checkouts for the caller; `admin` for the back office. */
export const billingRouter = {
  plans: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/billing/plans', tags, protect: false } })
    .output(planListSchema)
    .query(({ ctx }) => listPlans(ctx.config)),
  packs: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/billing/packs', tags, protect: false } })
    .output(packListSchema)
    .query(({ ctx }) => listPacks(ctx.config)),
  checkout: {
    subscribe: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/billing/checkout/subscribe', tags } })
      .input(subscribeInput)
      .output(checkoutSchema)
      .mutation(async ({ ctx, input }) => {
        await limitCheckouts(ctx, ctx.caller.user.id);
        return subscribe(ctx, payerOf(ctx), input);
      }),
    topUp: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/billing/checkout/top-up', tags } })
      .input(topUpInput)
      .output(checkoutSchema)
      .mutation(async ({ ctx, input }) => {
        await limitCheckouts(ctx, ctx.caller.user.id);
        return topUp(ctx, payerOf(ctx), input);
      }),
  },
  portal: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/billing/portal', tags } })
    .input(portalInput)
    .output(portalSchema)
    .mutation(async ({ ctx, input }) => {
      await limitCheckouts(ctx, ctx.caller.user.id);
      return portal(ctx, payerOf(ctx), input);
    }),
  subscription: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/billing/subscription', tags } })
    .output(subscriptionSchema)
    .query(({ ctx }) => subscriptionOf(ctx, ctx.caller.user)),
  invoices: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/billing/invoices', tags } })
    .input(pageInput)
    .output(invoicePageSchema)
    .query(({ ctx, input }) => listInvoices(ctx.db, ctx.caller.user.id, input)),
  history: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/billing/history', tags } })
    .input(pageInput)
    .output(historyPageSchema)
    .query(({ ctx, input }) => listHistory(ctx.db, ctx.caller.user.id, input)),
} satisfies TRPCRouterRecord;

/** `admin.billing`: received provider events, replay, and the manual tier change. */
export const adminBillingRouter = {
  events: {
    list: adminProcedure
      .input(listEventsInput)
      .output(billingEventPageSchema)
      .query(({ ctx, input }) => listEvents(ctx.db, input)),
    get: adminProcedure
      .input(eventIdInput)
      .output(billingEventDetailSchema)
      .query(({ ctx, input }) => getEvent(ctx.db, input.id)),
  },
  replay: adminProcedure
    .input(eventIdInput)
    .output(replayedSchema)
    .mutation(({ ctx, input }) => replayEvent(ctx, ctx.audit, input.id)),
  changeSubscription: adminProcedure
    .input(changeSubscriptionInput)
    .output(changedSubscriptionSchema)
    .mutation(({ ctx, input }) => changeSubscription(ctx, ctx.audit, input)),
} satisfies TRPCRouterRecord;
