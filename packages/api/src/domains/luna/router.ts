import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { Caller, Context } from '../../context.ts';
import { mapDomainErrors } from '../../errors/to-trpc.ts';
import { authedProcedure } from '../../procedures.ts';
import { asyncIterableOf } from '../../schemas/index.ts';
import * as celebrations from './celebrations.service.ts';
import { lunaCall } from './context.ts';
import * as conversations from './conversations.service.ts';
import * as goals from './goals.service.ts';
import { streamMessage } from './message-stream.service.ts';
import { currentEnergy, sendMessage } from './messages.service.ts';
import * as narrative from './narrative.service.ts';
import * as proposals from './proposals.service.ts';
import {
  answerProposalInput,
  celebrationPageSchema,
  celebrationSchema,
  chapterSchema,
  conversationPageSchema,
  conversationSchema,
  createGoalInput,
  energySchema,
  goalPageSchema,
  goalSchema,
  historyInput,
  idInput,
  listCelebrationsInput,
  listConversationsInput,
  listGoalsInput,
  listVersionsInput,
  messagePageSchema,
  messageStreamEventSchema,
  narrativeSchema,
  narrativeVersionPageSchema,
  progressGoalInput,
  proposalSchema,
  refreshResultSchema,
  sendMessageInput,
  sendResultSchema,
  sendStreamInput,
  startConversationInput,
  todaySchema,
  writeChapterInput,
} from './schemas.ts';
import { today } from './today.service.ts';

/** The caller, who pays for Luna's gateway calls and whose stream is written. */
const callOf = (ctx: Context & { caller: Caller }) =>
  lunaCall(
    ctx,
    {
      userId: ctx.caller.user.id,
      apiKeyId: ctx.caller.apiKey?.id ?? null,
      tier: ctx.caller.user.tier,
    },
    ctx.caller.user.timeZone,
  );

const tags = ['luna'];

/** Every procedure acts on the caller's own stream; another user's id reads as missing. */
export const lunaRouter = {
  conversations: {
    start: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/conversations', tags } })
      .input(startConversationInput)
      .output(conversationSchema)
      .mutation(({ ctx, input }) => conversations.startConversation(callOf(ctx), input)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/conversations', tags } })
      .input(listConversationsInput)
      .output(conversationPageSchema)
      .query(({ ctx, input }) =>
        conversations.listConversations(ctx.db, ctx.caller.user.id, input),
      ),
    get: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/conversations/{id}', tags } })
      .input(idInput)
      .output(conversationSchema)
      .query(({ ctx, input }) =>
        conversations.getConversation(ctx.db, ctx.caller.user.id, input.id),
      ),
    archive: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/conversations/{id}/archive', tags } })
      .input(idInput)
      .output(conversationSchema)
      .mutation(({ ctx, input }) => conversations.archiveConversation(callOf(ctx), input.id)),
  },
  messages: {
    send: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/messages', tags } })
      .input(sendMessageInput)
      .output(sendResultSchema)
      .mutation(({ ctx, input }) => sendMessage(callOf(ctx), input)),
    /** `send` over SSE: the message, the coach's tokens, then the reply (see the SDK's `streamLunaMessage`). */
    sendStream: authedProcedure
      .input(sendStreamInput)
      .output(asyncIterableOf(messageStreamEventSchema))
      .subscription(({ ctx, input, signal }) =>
        mapDomainErrors(streamMessage(callOf(ctx), input, signal), ctx),
      ),
    list: authedProcedure
      .meta({
        openapi: { method: 'GET', path: '/luna/conversations/{conversationId}/messages', tags },
      })
      .input(historyInput)
      .output(messagePageSchema)
      .query(({ ctx, input }) => conversations.messageHistory(ctx.db, ctx.caller.user.id, input)),
  },
  goals: {
    create: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/goals', tags } })
      .input(createGoalInput)
      .output(goalSchema)
      .mutation(({ ctx, input }) => goals.createGoal(callOf(ctx), input)),
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/goals', tags } })
      .input(listGoalsInput)
      .output(goalPageSchema)
      .query(({ ctx, input }) => goals.listGoals(ctx.db, ctx.caller.user.id, input)),
    /** Luna proposes a goal (null when it has nothing new to propose). */
    propose: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/goals/proposals', tags } })
      .output(proposalSchema.nullable())
      .mutation(({ ctx }) => proposals.proposeGoal(callOf(ctx))),
    proposals: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/goals/proposals', tags } })
      .output(z.array(proposalSchema))
      .query(({ ctx }) => proposals.listProposals(ctx.db, ctx.caller.user.id)),
    answer: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/goals/proposals/{id}/answer', tags } })
      .input(answerProposalInput)
      .output(proposalSchema)
      .mutation(({ ctx, input }) => proposals.answerProposal(callOf(ctx), input)),
    progress: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/goals/{id}/progress', tags } })
      .input(progressGoalInput)
      .output(goalSchema)
      .mutation(({ ctx, input }) => goals.progressGoal(callOf(ctx), input)),
  },
  celebrations: {
    list: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/celebrations', tags } })
      .input(listCelebrationsInput)
      .output(celebrationPageSchema)
      .query(({ ctx, input }) => celebrations.listCelebrations(ctx.db, ctx.caller.user.id, input)),
    markSeen: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/celebrations/{id}/seen', tags } })
      .input(idInput)
      .output(celebrationSchema)
      .mutation(({ ctx, input }) => celebrations.markCelebrationSeen(callOf(ctx), input.id)),
  },
  narrative: {
    get: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/narrative', tags } })
      .output(narrativeSchema)
      .query(({ ctx }) => narrative.getNarrative(ctx.db, ctx.caller.user.id)),
    writeChapter: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/narrative/chapters', tags } })
      .input(writeChapterInput)
      .output(chapterSchema)
      .mutation(({ ctx, input }) => narrative.writeChapter(callOf(ctx), input)),
    refresh: authedProcedure
      .meta({ openapi: { method: 'POST', path: '/luna/narrative/refresh', tags } })
      .output(refreshResultSchema)
      .mutation(({ ctx }) => narrative.refreshNarrative(callOf(ctx))),
    versions: authedProcedure
      .meta({ openapi: { method: 'GET', path: '/luna/narrative/versions', tags } })
      .input(listVersionsInput)
      .output(narrativeVersionPageSchema)
      .query(({ ctx, input }) => narrative.listVersions(ctx.db, ctx.caller.user.id, input)),
  },
  energy: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/luna/energy', tags } })
    .output(energySchema)
    .query(({ ctx }) => currentEnergy(callOf(ctx))),
  /** The dashboard: energy, mood trend, goals in progress, latest celebration. */
  today: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/luna/today', tags } })
    .output(todaySchema)
    .query(({ ctx }) => today(callOf(ctx))),
} satisfies TRPCRouterRecord;
