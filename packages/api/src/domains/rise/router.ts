import type { TRPCRouterRecord } from '@trpc/server';
import type { Caller } from '../../context.ts';
import { adminProcedure, authedProcedure } from '../../procedures.ts';
import * as kaizen from './kaizen.service.ts';
import {
  adminListKaizenInput,
  createKaizenInput,
  kaizenActionSchema,
  kaizenIdInput,
  kaizenPageSchema,
  kaizenStreaksSchema,
  listKaizenInput,
  listZazenInput,
  okSchema,
  recordZazenInput,
  riseStatsSchema,
  setKaizenCompletedInput,
  updateKaizenInput,
  zazenPageSchema,
  zazenSessionSchema,
  zazenStatsSchema,
} from './schemas.ts';
import { riseStats } from './stats.service.ts';
import * as zazen from './zazen.service.ts';

const OK = { ok: true } as const;
const me = (caller: Caller) => ({ id: caller.user.id, timeZone: caller.user.timeZone });

/** Every procedure acts on the caller's own rows; only `admin` reads someone else's. */
export const riseRouter = {
  kaizen: {
    create: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/rise/kaizen', tags: ['rise'] } })
      .input(createKaizenInput)
      .output(kaizenActionSchema)
      .mutation(({ ctx, input }) => kaizen.createKaizen(ctx.db, me(ctx.caller), input)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/rise/kaizen', tags: ['rise'] } })
      .input(listKaizenInput)
      .output(kaizenPageSchema)
      .query(({ ctx, input }) => kaizen.listKaizen(ctx.db, ctx.caller.user.id, input)),
    update: authedProcedure
      .input(updateKaizenInput)
      .output(kaizenActionSchema)
      .mutation(({ ctx, input }) => kaizen.updateKaizenText(ctx.db, ctx.caller.user.id, input)),
    setCompleted: authedProcedure
      .meta({ openapi: { method: 'PUT', path: '/rise/kaizen/{id}/completed', tags: ['rise'] } })
      .input(setKaizenCompletedInput)
      .output(kaizenActionSchema)
      .mutation(({ ctx, input }) => kaizen.setKaizenCompleted(ctx, ctx.caller.user.id, input)),
    delete: authedProcedure
      .input(kaizenIdInput)
      .output(okSchema)
      .mutation(async ({ ctx, input }) => {
        await kaizen.deleteKaizen(ctx.db, ctx.caller.user.id, input.id);
        return OK;
      }),
    streaks: authedProcedure
      .output(kaizenStreaksSchema)
      .query(({ ctx }) => kaizen.kaizenStreaks(ctx.db, me(ctx.caller))),
  },

  zazen: {
    record: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/rise/zazen', tags: ['rise'] } })
      .input(recordZazenInput)
      .output(zazenSessionSchema)
      .mutation(({ ctx, input }) => zazen.recordZazen(ctx, ctx.caller.user.id, input)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/rise/zazen', tags: ['rise'] } })
      .input(listZazenInput)
      .output(zazenPageSchema)
      .query(({ ctx, input }) => zazen.listZazen(ctx.db, ctx.caller.user.id, input)),
    stats: authedProcedure
      .output(zazenStatsSchema)
      .query(({ ctx }) => zazen.zazenStats(ctx.db, me(ctx.caller))),
  },

  /** The dashboard: Kaizen, streak and Zazen figures in one call. */
  stats: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/rise/stats', tags: ['rise'] } })
    .output(riseStatsSchema)
    .query(({ ctx }) => riseStats(ctx.db, me(ctx.caller))),

  /** Administrators reading any user's Kaizen actions: the one place another user's rows are reachable. */
  admin: {
    kaizen: {
      list: adminProcedure
        .input(adminListKaizenInput)
        .output(kaizenPageSchema)
        .query(({ ctx, input }) => {
          const { userId, ...range } = input;
          return kaizen.listKaizen(ctx.db, userId, range);
        }),
    },
  },
} satisfies TRPCRouterRecord;
