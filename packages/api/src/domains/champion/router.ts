import type { TRPCRouterRecord } from '@trpc/server';
import type { Caller } from '../../context.ts';
import { mapDomainErrors } from '../../errors/to-trpc.ts';
import { authedProcedure } from '../../procedures.ts';
import { asyncIterableOf } from '../../schemas/index.ts';
import type { Payer } from '../gateway/index.ts';
import * as champions from './champions.service.ts';
import { limitAnalyses, limitTraining } from './limits.ts';
import { progressStream } from './progress.ts';
import { generateScenarios, listScenarios } from './scenarios.service.ts';
import {
  championIdInput,
  championPageSchema,
  championSchema,
  createFromTranscriptInput,
  generatedScenariosSchema,
  idInput,
  listInput,
  listScenariosInput,
  okSchema,
  patternPageSchema,
  patternsInput,
  progressSchema,
  scenarioPageSchema,
  similarPatternsInput,
  similarPatternsSchema,
  transcriptSchema,
} from './schemas.ts';
import { similarPatterns } from './similar.service.ts';
import * as training from './training.service.ts';
import {
  listSessionsInput,
  respondInput,
  respondResultSchema,
  respondStreamEventSchema,
  respondStreamInput,
  sessionIdInput,
  sessionPageSchema,
  sessionSchema,
  startTrainingInput,
} from './training-schemas.ts';
import { respondStream } from './training-stream.service.ts';

const OK = { ok: true } as const;

const payerOf = (caller: Caller): Payer => ({
  userId: caller.user.id,
  apiKeyId: caller.apiKey?.id ?? null,
  tier: caller.user.tier,
});

const TAGS = ['champions'];

/** Every procedure acts on the caller's own champions; another user's id reads as missing. */
export const championsRouter = {
  createFromTranscript: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/champions', tags: TAGS } })
    .input(createFromTranscriptInput)
    .output(championSchema)
    .mutation(({ ctx, input }) => champions.createFromTranscript(ctx, ctx.caller.user.id, input)),
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/champions', tags: TAGS } })
    .input(listInput)
    .output(championPageSchema)
    .query(({ ctx, input }) => champions.listChampions(ctx.db, ctx.caller.user.id, input)),
  get: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/champions/{id}', tags: TAGS } })
    .input(idInput)
    .output(championSchema)
    .query(({ ctx, input }) => champions.getChampion(ctx.db, ctx.caller.user.id, input.id)),
  transcript: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/champions/{id}/transcript', tags: TAGS } })
    .input(idInput)
    .output(transcriptSchema)
    .query(({ ctx, input }) => champions.getTranscript(ctx.db, ctx.caller.user.id, input.id)),
  delete: authedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/champions/{id}', tags: TAGS } })
    .input(idInput)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await champions.deleteChampion(ctx, ctx.caller.user.id, input.id);
      return OK;
    }),
  /** Queues the analysis job; follow it with `get` or the `progress` subscription. */
  analyze: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/champions/{id}/analyze', tags: TAGS } })
    .input(idInput)
    .output(championSchema)
    .mutation(async ({ ctx, input }) => {
      await champions.ownChampion(ctx.db, ctx.caller.user.id, input.id);
      await limitAnalyses(ctx, ctx.caller.user.id);
      return champions.requestAnalysis(ctx, ctx.caller.user.id, input.id);
    }),
  /** Status and progress now, then at each change, until ready or failed (SSE). */
  progress: authedProcedure
    .input(championIdInput)
    .output(asyncIterableOf(progressSchema))
    .subscription(({ ctx, input, signal }) =>
      mapDomainErrors(
        progressStream(ctx, { userId: ctx.caller.user.id, championId: input.championId, signal }),
        ctx,
      ),
    ),
  patterns: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/champions/{championId}/patterns', tags: TAGS } })
    .input(patternsInput)
    .output(patternPageSchema)
    .query(({ ctx, input }) => champions.listPatterns(ctx.db, ctx.caller.user.id, input)),
  /** The caller's patterns nearest to a text, across all their champions (embeds the query). */
  similarPatterns: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/champions/patterns/similar', tags: TAGS } })
    .input(similarPatternsInput)
    .output(similarPatternsSchema)
    .mutation(({ ctx, input }) => similarPatterns(ctx, payerOf(ctx.caller), input)),
  scenarios: {
    generate: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/champions/{championId}/scenarios', tags: TAGS } })
      .input(championIdInput)
      .output(generatedScenariosSchema)
      .mutation(({ ctx, input }) => generateScenarios(ctx, payerOf(ctx.caller), input.championId)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/champions/{championId}/scenarios', tags: TAGS } })
      .input(listScenariosInput)
      .output(scenarioPageSchema)
      .query(({ ctx, input }) => listScenarios(ctx.db, ctx.caller.user.id, input)),
  },
} satisfies TRPCRouterRecord;

const TRAINING_TAGS = ['training'];

export const trainingRouter = {
  start: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/training/sessions', tags: TRAINING_TAGS } })
    .input(startTrainingInput)
    .output(sessionSchema)
    .mutation(async ({ ctx, input }) => {
      await limitTraining(ctx, ctx.caller.user.id);
      return training.startTraining(ctx, ctx.caller.user.id, input);
    }),
  respond: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/training/sessions/{sessionId}/respond',
        tags: TRAINING_TAGS,
      },
    })
    .input(respondInput)
    .output(respondResultSchema)
    .mutation(async ({ ctx, input }) => {
      await limitTraining(ctx, ctx.caller.user.id);
      return training.respond(ctx, payerOf(ctx.caller), input);
    }),
  /** `respond` over SSE: the seller's turn, the prospect's tokens, the score (SDK: `streamTrainingReply`). */
  respondStream: authedProcedure
    .input(respondStreamInput)
    .output(asyncIterableOf(respondStreamEventSchema))
    .subscription(async ({ ctx, input, signal }) => {
      await limitTraining(ctx, ctx.caller.user.id);
      return mapDomainErrors(
        respondStream(ctx, { payer: payerOf(ctx.caller), input, signal }),
        ctx,
      );
    }),
  end: authedProcedure
    .meta({
      openapi: { method: 'POST', path: '/training/sessions/{sessionId}/end', tags: TRAINING_TAGS },
    })
    .input(sessionIdInput)
    .output(sessionSchema)
    .mutation(async ({ ctx, input }) => {
      await limitTraining(ctx, ctx.caller.user.id);
      return training.endTraining(ctx, ctx.caller.user.id, input.sessionId);
    }),
  sessions: {
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/training/sessions', tags: TRAINING_TAGS } })
      .input(listSessionsInput)
      .output(sessionPageSchema)
      .query(({ ctx, input }) => training.listSessions(ctx, ctx.caller.user.id, input)),
    get: authedProcedure
      .meta({
        openapi: { method: 'GET', path: '/training/sessions/{sessionId}', tags: TRAINING_TAGS },
      })
      .input(sessionIdInput)
      .output(sessionSchema)
      .query(({ ctx, input }) => training.getSession(ctx, ctx.caller.user.id, input.sessionId)),
  },
} satisfies TRPCRouterRecord;
