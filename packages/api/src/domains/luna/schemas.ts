import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

const cursorSchema = text().max(300);
const limitSchema = z.int().min(1).max(100).default(20);
const pageFields = { limit: limitSchema, cursor: cursorSchema.optional() };
/** One keyset page of `item`s. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const sentimentLabel = z.enum(['negative', 'neutral', 'positive']);

export const MESSAGE_MAX_CHARS = 4_000;

export const energySchema = z.object({
  balance: z.int(),
  max: z.int(),
  regenPerHour: z.number(),
  /** When the balance reaches its maximum at the current rate (now when it is full). */
  fullAt: z.date(),
});
export type Energy = z.infer<typeof energySchema>;

export const conversationSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  archived: z.boolean(),
  messageCount: z.int(),
  createdAt: z.date(),
  lastMessageAt: z.date().nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const messageSchema = z.object({
  id: z.uuid(),
  role: z.enum(['user', 'coach']),
  content: z.string(),
  degraded: z.boolean(),
  sentiment: z
    .object({ valence: z.number(), arousal: z.number(), label: sentimentLabel })
    .nullable(),
  createdAt: z.date(),
});
export type Message = z.infer<typeof messageSchema>;

export const idInput = input({ id: z.uuid() });
export const startConversationInput = input({
  title: text().trim().min(1).max(200).optional(),
}).default({});
export const listConversationsInput = input({
  includeArchived: z.boolean().default(false),
  ...pageFields,
}).default({ includeArchived: false, limit: 20 });
export const conversationPageSchema = pageOf(conversationSchema);
export type ConversationPage = z.infer<typeof conversationPageSchema>;

export const sendMessageInput = input({
  conversationId: z.uuid(),
  content: text().trim().min(1).max(MESSAGE_MAX_CHARS),
});
export const sendResultSchema = z.object({
  message: messageSchema,
  reply: messageSchema,
  /** True when no AI answered (every provider down, or no credits): nothing was billed. */
  degraded: z.boolean(),
  /** The register the coach answered in, from the recent mood. */
  register: z.enum(['supportive', 'encouraging']),
  energy: energySchema,
});
export type SendResult = z.infer<typeof sendResultSchema>;

export const sendStreamInput = sendMessageInput.extend({
  /** Names the message: a reconnect replaying it is refused, never spent twice. */
  idempotencyKey: text().min(8).max(128),
});
export const messageStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: messageSchema }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('reply'), result: sendResultSchema }),
]);
export type MessageStreamEvent = z.infer<typeof messageStreamEventSchema>;

export const historyInput = input({ conversationId: z.uuid(), ...pageFields });
export const messagePageSchema = pageOf(messageSchema);
export type MessagePage = z.infer<typeof messagePageSchema>;

export const goalSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  target: z.int(),
  tracks: z.string().nullable(),
  progress: z.int(),
  completed: z.boolean(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type Goal = z.infer<typeof goalSchema>;

export const createGoalInput = input({
  title: text().trim().min(1).max(200),
  /** Milestones to reach (1 for a simple goal). */
  target: z.int().min(1).max(1_000).default(1),
  /**
   * Also moved by another domain: each Kaizen completed, each Zazen session, or each Aube
   * diagnostic finished, is one step.
   */
  tracks: z.enum(['rise.kaizen', 'rise.zazen', 'aube.diagnostic']).optional(),
});
export const progressGoalInput = input({
  id: z.uuid(),
  amount: z.int().min(1).max(1_000).default(1),
});
export const listGoalsInput = input({
  status: z.enum(['active', 'completed', 'all']).default('active'),
  ...pageFields,
}).default({ status: 'active', limit: 20 });
export const goalPageSchema = pageOf(goalSchema);
export type GoalPage = z.infer<typeof goalPageSchema>;

export const celebrationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  reward: z.int(),
  /** False until the user has seen it (`luna.celebrations.markSeen`). */
  seen: z.boolean(),
  createdAt: z.date(),
});
export type Celebration = z.infer<typeof celebrationSchema>;
export const listCelebrationsInput = input(pageFields).default({ limit: 20 });
export const celebrationPageSchema = pageOf(celebrationSchema);
export type CelebrationPage = z.infer<typeof celebrationPageSchema>;

export const todaySchema = z.object({
  energy: energySchema,
  /** Average valence (-1..1) of the user's messages; null without any in the window. */
  mood: z.object({ week: z.number().nullable(), month: z.number().nullable() }),
  goalsInProgress: z.array(goalSchema),
  latestCelebration: celebrationSchema.nullable(),
});
export type Today = z.infer<typeof todaySchema>;

export const writeChapterInput = input({
  title: text().trim().min(1).max(200),
  body: text().trim().min(1).max(10_000),
  theme: text().trim().min(1).max(100).optional(),
});
export const chapterSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  theme: z.string().nullable(),
  createdAt: z.date(),
});
export type Chapter = z.infer<typeof chapterSchema>;
export const narrativeVersionSchema = z.object({
  version: z.int(),
  summary: z.string(),
  /** The stream version the summary covers. */
  covers: z.int(),
  createdAt: z.date(),
});
export type NarrativeVersion = z.infer<typeof narrativeVersionSchema>;
export const narrativeSchema = z.object({
  chapters: z.array(chapterSchema),
  themes: z.array(z.string()),
  summary: narrativeVersionSchema.nullable(),
  /** Events in the stream since the summary was written. */
  eventsSinceSummary: z.int(),
});
export type Narrative = z.infer<typeof narrativeSchema>;
export const refreshResultSchema = z.object({
  refreshed: z.boolean(),
  /** True when a refresh was due but no AI could answer: the summary stayed. */
  degraded: z.boolean(),
  narrative: narrativeSchema,
});
export type RefreshResult = z.infer<typeof refreshResultSchema>;
export const listVersionsInput = input(pageFields).default({ limit: 20 });
export const narrativeVersionPageSchema = pageOf(narrativeVersionSchema);
export type NarrativeVersionPage = z.infer<typeof narrativeVersionPageSchema>;

export const proposalSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  target: z.int(),
  tracks: z.string().nullable(),
  status: z.enum(['open', 'accepted', 'declined']),
  /** The goal an accepted proposal became. */
  goalId: z.uuid().nullable(),
  createdAt: z.date(),
});
export type Proposal = z.infer<typeof proposalSchema>;
export const answerProposalInput = input({ id: z.uuid(), accept: z.boolean() });
