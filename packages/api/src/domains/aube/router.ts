import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { Caller, Context } from '../../context.ts';
import {
  adminProcedure,
  authedProcedure,
  publicProcedure,
  requireCaller,
} from '../../procedures.ts';
import type { Payer } from '../gateway/index.ts';
import { userAnalytics } from './analytics.service.ts';
import { listSavedCareers, trackCareerEvent, unsaveCareer } from './careers.service.ts';
import {
  getDiagnostic,
  latestDiagnostic,
  listDiagnostics,
  submitDiagnostic,
} from './diagnostics.service.ts';
import { aubeLocaleOf } from './locale.ts';
import { matchesForUser } from './matches.service.ts';
import { diagnosticAnswersInputSchema } from './model.ts';
import { questionCatalog } from './questions.service.ts';
import { getRecommendation, regenerateRecommendation } from './recommendations.service.ts';
import {
  adminHistoryInput,
  analyticsOutput,
  diagnosticIdInput,
  diagnosticSchema,
  historyInput,
  historyOutput,
  matchesInput,
  matchesOutput,
  questionsInput,
  questionsOutput,
  recommendationSchema,
  savedCareerSchema,
  savedInput,
  trackInput,
  trackOutput,
  unsaveInput,
  unsaveOutput,
} from './schemas.ts';

/** Whoever is signed in pays for their own AI calls; never an id taken from the input. */
const payerOf = (caller: Caller): Payer => ({
  userId: caller.user.id,
  apiKeyId: caller.apiKey?.id ?? null,
  tier: caller.user.tier,
});

const userLocale = (ctx: Context & { caller: Caller }) => aubeLocaleOf(ctx.caller.user.locale);

export const aubeRouter = {
  /**
   * Public on purpose: the questionnaire is the same for everyone and holds nothing
   * personal, so a landing page can show it before sign-up. Answers are only stored by
   * the authenticated `diagnostic.submit`.
   */
  questions: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/aube/questions', tags: ['aube'], protect: false } })
    .input(questionsInput)
    .output(questionsOutput)
    .query(({ input }) => questionCatalog(input.locale)),

  diagnostic: {
    submit: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/aube/diagnostics', tags: ['aube'] } })
      .input(diagnosticAnswersInputSchema)
      .output(diagnosticSchema)
      .mutation(({ ctx, input }) => submitDiagnostic(ctx, ctx.caller.user.id, input)),

    history: authedProcedure
      .input(historyInput)
      .output(historyOutput)
      .query(({ ctx, input }) => listDiagnostics(ctx.db, ctx.caller.user.id, input)),

    /** Null before the first diagnostic: "none yet" is a normal state, not an error. */
    latest: authedProcedure
      .output(diagnosticSchema.nullable())
      .query(({ ctx }) => latestDiagnostic(ctx.db, ctx.caller.user.id)),

    get: authedProcedure
      .input(diagnosticIdInput)
      .output(diagnosticSchema)
      .query(({ ctx, input }) => getDiagnostic(ctx.db, ctx.caller.user.id, input.id)),
  },

  matches: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/aube/matches', tags: ['aube'] } })
    .input(matchesInput)
    .output(matchesOutput)
    .query(({ ctx, input }) =>
      matchesForUser(ctx.db, ctx.caller.user.id, {
        limit: input.limit,
        locale: input.locale ?? userLocale(ctx),
      }),
    ),

  recommendations: {
    get: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/aube/recommendations', tags: ['aube'] } })
      .output(recommendationSchema)
      .query(({ ctx }) =>
        // Serving the stored plan is a read. Writing the first one spends credits, so it
        // needs what a write needs: a key's write scope, no cross-site cookie request.
        getRecommendation(ctx, payerOf(ctx.caller), {
          locale: userLocale(ctx),
          beforeGenerating: async () => {
            await requireCaller(ctx, { admin: false, isWrite: true });
          },
        }),
      ),
    regenerate: authedProcedure
      .output(recommendationSchema)
      .mutation(({ ctx }) => regenerateRecommendation(ctx, payerOf(ctx.caller), userLocale(ctx))),
  },

  careers: {
    track: authedProcedure
      .input(trackInput)
      .output(trackOutput)
      .mutation(({ ctx, input }) => trackCareerEvent(ctx.db, ctx.caller.user.id, input)),
    unsave: authedProcedure
      .input(unsaveInput)
      .output(unsaveOutput)
      .mutation(({ ctx, input }) => unsaveCareer(ctx.db, ctx.caller.user.id, input.careerId)),
    saved: authedProcedure
      .input(savedInput)
      .output(z.array(savedCareerSchema))
      .query(({ ctx, input }) =>
        listSavedCareers(ctx.db, ctx.caller.user.id, input.locale ?? userLocale(ctx)),
      ),
  },

  analytics: authedProcedure
    .output(analyticsOutput)
    .query(({ ctx }) => userAnalytics(ctx.db, ctx.caller.user.id, userLocale(ctx))),

  admin: {
    /** Any user's diagnostics: the one cross-user read path, administrators only. */
    history: adminProcedure
      .input(adminHistoryInput)
      .output(historyOutput)
      .query(({ ctx, input }) => listDiagnostics(ctx.db, input.userId, input)),
  },
} satisfies TRPCRouterRecord;
