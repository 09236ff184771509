import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';
import { difficulty } from './schemas.ts';

const cursorSchema = text().max(300);
const limitSchema = z.int().min(1).max(100).default(20);
const pageFields = { limit: limitSchema, cursor: cursorSchema.optional() };
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const SELLER_MESSAGE_MAX_CHARS = 4_000;

export const startTrainingInput = input({ championId: z.uuid(), scenarioId: z.uuid() });
export type StartTrainingInput = z.infer<typeof startTrainingInput>;
export const respondInput = input({
  sessionId: z.uuid(),
  message: text().trim().min(1).max(SELLER_MESSAGE_MAX_CHARS),
  /** Names the seller's turn: sending the same key again is refused, never answered twice. */
  idempotencyKey: text().min(8).max(128).optional(),
});
export type RespondInput = z.infer<typeof respondInput>;
export const respondStreamInput = respondInput.extend({ idempotencyKey: text().min(8).max(128) });
export const sessionIdInput = input({ sessionId: z.uuid() });
export const listSessionsInput = input({
  championId: z.uuid().optional(),
  ...pageFields,
}).default({ limit: 20 });
export type ListSessionsInput = z.infer<typeof listSessionsInput>;
export const adminListSessionsInput = input({
  userId: z.uuid().optional(),
  status: z.enum(['running', 'ended']).optional(),
  ...pageFields,
}).default({ limit: 20 });
export type AdminListSessionsInput = z.infer<typeof adminListSessionsInput>;

export const trainingTurnSchema = z.object({
  id: z.uuid(),
  position: z.int(),
  role: z.enum(['seller', 'prospect']),
  text: z.string(),
  /** Seller turns: 0..100 against the champion's patterns. */
  score: z.int().nullable(),
  feedback: z.string().nullable(),
  patternKinds: z.array(z.string()),
  createdAt: z.date(),
});
export type TrainingTurn = z.infer<typeof trainingTurnSchema>;

export const sessionStatus = z.enum(['running', 'ended']);
export const endReason = z.enum(['ended', 'max_turns', 'inactivity', 'max_duration']);

export const sessionSummarySchema = z.object({
  id: z.uuid(),
  championId: z.uuid(),
  scenario: z.object({
    id: z.uuid(),
    versionId: z.uuid(),
    version: z.int(),
    difficulty,
    title: z.string(),
  }),
  status: sessionStatus,
  endReason: endReason.nullable(),
  sellerTurns: z.int(),
  maxTurns: z.int(),
  overallScore: z.int().nullable(),
  startedAt: z.date(),
  lastActivityAt: z.date(),
  endedAt: z.date().nullable(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const sessionSchema = sessionSummarySchema.extend({
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  turns: z.array(trainingTurnSchema),
});
export type Session = z.infer<typeof sessionSchema>;
export const sessionPageSchema = pageOf(sessionSummarySchema);
export type SessionPage = z.infer<typeof sessionPageSchema>;

export const adminSessionSchema = sessionSummarySchema.extend({
  userId: z.uuid(),
  /** Who trained, and against which champion, so the back office reads names, not ids. */
  userEmail: z.string(),
  championName: z.string(),
});
export type AdminSession = z.infer<typeof adminSessionSchema>;
export const adminSessionPageSchema = pageOf(adminSessionSchema);
export type AdminSessionPage = z.infer<typeof adminSessionPageSchema>;

export const respondResultSchema = z.object({
  seller: trainingTurnSchema,
  prospect: trainingTurnSchema,
  session: sessionSummarySchema,
});
export type RespondResult = z.infer<typeof respondResultSchema>;

/** `turn` (the seller's, recorded), the prospect's `delta`s, then `result` (scored). */
export const respondStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('turn'), turn: trainingTurnSchema }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('result'), result: respondResultSchema }),
]);
export type RespondStreamEvent = z.infer<typeof respondStreamEventSchema>;
