import type { TRPCRouterRecord } from '@trpc/server';
import type { Caller, Context } from '../../context.ts';
import { authedProcedure } from '../../procedures.ts';
import { lunaCall } from './context.ts';
import * as conversations from './conversations.service.ts';
import { currentEnergy, sendMessage } from './messages.service.ts';
import {
  conversationPageSchema,
  conversationSchema,
  energySchema,
  historyInput,
  idInput,
  listConversationsInput,
  messagePageSchema,
  sendMessageInput,
  sendResultSchema,
  startConversationInput,
} from './schemas.ts';

/** The caller, who pays for Luna's gateway calls and whose stream is written. */
const callOf = (ctx: Context & { caller: Caller }) =>
  lunaCall(ctx, {
    userId: ctx.caller.user.id,
    apiKeyId: ctx.caller.apiKey?.id ?? null,
    tier: ctx.caller.user.tier,
  });

/** Every procedure acts on the caller's own stream; another user's id reads as missing. */
export const lunaRouter = {
  conversations: {
    start: authedProcedure
      .input(startConversationInput)
      .output(conversationSchema)
      .mutation(({ ctx, input }) => conversations.startConversation(callOf(ctx), input)),
    list: authedProcedure
      .input(listConversationsInput)
      .output(conversationPageSchema)
      .query(({ ctx, input }) =>
        conversations.listConversations(ctx.db, ctx.caller.user.id, input),
      ),
    get: authedProcedure
      .input(idInput)
      .output(conversationSchema)
      .query(({ ctx, input }) =>
        conversations.getConversation(ctx.db, ctx.caller.user.id, input.id),
      ),
    archive: authedProcedure
      .input(idInput)
      .output(conversationSchema)
      .mutation(({ ctx, input }) => conversations.archiveConversation(callOf(ctx), input.id)),
  },
  messages: {
    send: authedProcedure
      .input(sendMessageInput)
      .output(sendResultSchema)
      .mutation(({ ctx, input }) => sendMessage(callOf(ctx), input)),
    list: authedProcedure
      .input(historyInput)
      .output(messagePageSchema)
      .query(({ ctx, input }) => conversations.messageHistory(ctx.db, ctx.caller.user.id, input)),
  },
  energy: authedProcedure.output(energySchema).query(({ ctx }) => currentEnergy(callOf(ctx))),
} satisfies TRPCRouterRecord;
