import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

/** The longest message content a chat call takes, in characters. */
export const CHAT_MESSAGE_MAX_CHARS = 100_000;

export const chatMessageSchema = input({
  role: z.enum(['system', 'user', 'assistant']),
  content: text().min(1).max(CHAT_MESSAGE_MAX_CHARS),
});

export const chatInput = input({
  route: text().min(1).max(64).default('chat.default'),
  messages: z.array(chatMessageSchema).min(1).max(200),
  maxTokens: z.int().min(1).max(32_000).default(1024),
  temperature: z.number().min(0).max(2).optional(),
  /** Replaying the same key returns the first result without a second charge. */
  idempotencyKey: text().min(8).max(128).optional(),
  /** Opt in to the exact-match response cache. */
  cache: z.boolean().default(false),
});

export const usageSchema = z.object({ inputTokens: z.int(), outputTokens: z.int() });

export const chatResultSchema = z.object({
  text: z.string(),
  provider: z.string(),
  model: z.string(),
  usage: usageSchema,
  finishReason: z.string().nullable(),
  creditsCharged: z.int(),
  cached: z.boolean(),
  /** True when an idempotency key was replayed: the first answer, not charged again. */
  replayed: z.boolean(),
  requestId: z.string(),
  /** Time spent waiting on providers (all attempts); the rest of a call is the hub's overhead. */
  providerLatencyMs: z.number(),
});

export type ChatInput = z.input<typeof chatInput>;
export type ParsedChatInput = z.output<typeof chatInput>;
export type ChatResult = z.infer<typeof chatResultSchema>;

/**
 * A streamed call must carry an idempotency key: EventSource reconnects by itself, and a
 * reconnect must replay or refuse, never run (and bill) the call a second time.
 */
export const chatStreamInput = chatInput.extend({
  idempotencyKey: text().min(8).max(128),
});

/**
 * What a stream sends, in order: `start` once the first token arrived (so a provider that
 * fails before it was replaced by the next one), `delta`s, then `end` with the bill. A
 * stream that breaks after tokens flowed ends with an error instead of `end`.
 */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    requestId: z.string(),
    provider: z.string(),
    model: z.string(),
    cached: z.boolean(),
    replayed: z.boolean(),
  }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({
    type: z.literal('end'),
    finishReason: z.string().nullable(),
    usage: usageSchema,
    /** True when the provider sent no usage and the tokens were counted by the hub. */
    usageEstimated: z.boolean(),
    creditsCharged: z.int(),
    providerLatencyMs: z.number(),
  }),
]);
export type ChatStreamEvent = z.infer<typeof chatStreamEventSchema>;

export const balanceSchema = z.object({ balance: z.int() });

export const creditTransactionSchema = z.object({
  id: z.int(),
  kind: z.enum(['signup', 'grant', 'purchase', 'reserve', 'refund', 'adjustment']),
  amount: z.int(),
  balanceAfter: z.int(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.date(),
});

export const transactionsInput = input({
  limit: z.int().min(1).max(100).default(50),
  beforeId: z.int().positive().optional(),
}).default({ limit: 50 });

export const transactionPageSchema = z.object({
  items: z.array(creditTransactionSchema),
  nextBeforeId: z.int().nullable(),
});

export const adminLedgerInput = input({
  userId: z.uuid(),
  limit: z.int().min(1).max(100).default(50),
  beforeId: z.int().positive().optional(),
});
export const adminLedgerSchema = transactionPageSchema.extend({ balance: z.int() });

export const usageInput = input({ days: z.int().min(1).max(90).default(30) }).default({ days: 30 });

export const grantResultSchema = z.object({ applied: z.boolean(), balance: z.int() });
export type GrantResult = z.infer<typeof grantResultSchema>;

export const usageDaySchema = z.object({
  day: z.string(),
  requests: z.int(),
  failed: z.int(),
  cached: z.int(),
  inputTokens: z.int(),
  outputTokens: z.int(),
  credits: z.int(),
});

export const routeSchema = z.object({
  name: z.string(),
  targets: z.array(z.object({ provider: z.string(), model: z.string(), available: z.boolean() })),
});

export const providerReportSchema = z.object({
  provider: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  state: z.string(),
  openUntil: z.number().nullable(),
  requests: z.int(),
  failures: z.int(),
  errorRate: z.number(),
  avgLatencyMs: z.number().nullable(),
});

export const grantInput = input({
  userId: z.uuid(),
  amount: z.int().min(1).max(100_000_000),
  note: text().trim().min(1).max(500),
  idempotencyKey: text().min(8).max(128).optional(),
});

export type UsageDay = z.infer<typeof usageDaySchema>;
export type TransactionPage = z.infer<typeof transactionPageSchema>;
