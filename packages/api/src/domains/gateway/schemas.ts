import { z } from 'zod';

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(100_000),
});

export const chatInput = z.object({
  route: z.string().min(1).max(64).default('chat.default'),
  messages: z.array(chatMessageSchema).min(1).max(200),
  maxTokens: z.int().min(1).max(32_000).default(1024),
  temperature: z.number().min(0).max(2).optional(),
  /** Replaying the same key returns the first result without a second charge. */
  idempotencyKey: z.string().min(8).max(128).optional(),
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
  requestId: z.string(),
});

export type ChatInput = z.input<typeof chatInput>;
export type ChatResult = z.infer<typeof chatResultSchema>;
