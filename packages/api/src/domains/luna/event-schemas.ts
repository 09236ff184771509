import { z } from 'zod';
import { analyseSentiment } from './sentiment.ts';

const sentimentSchema = z.object({
  valence: z.number().min(-1).max(1),
  arousal: z.number().min(0).max(1),
  label: z.enum(['negative', 'neutral', 'positive']),
});
/** Other domains' events that can move a goal. */
export const progressSource = z.enum(['rise.kaizen', 'rise.zazen', 'aube.diagnostic']);
export type ProgressSource = z.infer<typeof progressSource>;

export type Sentiment = z.infer<typeof sentimentSchema>;

/** The payload of each event type at its current schema version. */
export const EVENT_PAYLOADS = {
  'conversation.started': z.object({ conversationId: z.uuid(), title: z.string() }),
  'conversation.archived': z.object({ conversationId: z.uuid() }),
  'message.sent': z.object({
    conversationId: z.uuid(),
    messageId: z.uuid(),
    content: z.string(),
    sentiment: sentimentSchema,
  }),
  'coach.replied': z.object({
    conversationId: z.uuid(),
    messageId: z.uuid(),
    content: z.string(),
    degraded: z.boolean(),
  }),
  'goal.created': z.object({
    goalId: z.uuid(),
    title: z.string(),
    target: z.int().min(1),
    // Added without a version bump: absent in older payloads, read as null.
    tracks: progressSource.nullable().default(null),
  }),
  'goal.proposed': z.object({
    proposalId: z.uuid(),
    title: z.string(),
    target: z.int().min(1),
    tracks: progressSource.nullable(),
  }),
  /** Accepted (with the goal it became, created by the same command) or declined. */
  'goal.proposal_answered': z.object({ proposalId: z.uuid(), goalId: z.uuid().nullable() }),
  'progress.received': z.object({ sourceEventId: z.uuid(), source: progressSource }),
  'goal.progressed': z.object({
    goalId: z.uuid(),
    amount: z.int().min(1),
    /** Progress after this step, capped at the target. */
    progress: z.int(),
    completed: z.boolean(),
  }),
  'celebration.fired': z.object({
    celebrationId: z.uuid(),
    kind: z.enum([
      'goal_completed',
      'first_conversation',
      'mood_recovered',
      'streak',
      'new_chapter',
    ]),
    occurrence: z.string(),
    reward: z.int().nonnegative(),
  }),
  'celebration.seen': z.object({ celebrationId: z.uuid() }),
  'narrative.chapter_written': z.object({
    chapterId: z.uuid(),
    title: z.string(),
    body: z.string(),
    theme: z.string().nullable(),
  }),
  'narrative.summarised': z.object({
    version: z.int().min(1),
    summary: z.string(),
    /** The stream version the summary covers. */
    covers: z.int(),
  }),
  'energy.changed': z.object({
    /** Signed: a spend is negative, a refund or a reward positive. */
    amount: z.int(),
    reason: z.enum(['message', 'degraded_refund', 'abandoned_refund', 'reward']),
    /** The balance after the change, at the event's time (regeneration included). */
    balanceAfter: z.number().nonnegative(),
  }),
} as const;

export type LunaEventType = keyof typeof EVENT_PAYLOADS;

/** The schema version every new event of a type is written with. */
export const CURRENT_VERSION: Record<LunaEventType, number> = {
  'conversation.started': 1,
  'conversation.archived': 1,
  'message.sent': 2,
  'coach.replied': 1,
  'goal.created': 1,
  'goal.progressed': 1,
  'progress.received': 1,
  'goal.proposed': 1,
  'goal.proposal_answered': 1,
  'celebration.fired': 1,
  'celebration.seen': 1,
  'narrative.chapter_written': 1,
  'narrative.summarised': 1,
  'energy.changed': 1,
};

/** A Luna event as the code handles it: a type and its current payload. */
export type LunaEvent = {
  [T in LunaEventType]: { type: T; payload: z.infer<(typeof EVENT_PAYLOADS)[T]> };
}[LunaEventType];

// Old payloads, kept so streams written before a change still read. Each upcaster lifts
// one version to the next; reading chains them up to the current version.
const messageSentV1 = z.object({ conversationId: z.uuid(), messageId: z.uuid(), text: z.string() });

const UPCASTERS: Partial<Record<LunaEventType, Record<number, (payload: unknown) => unknown>>> = {
  'message.sent': {
    // v1 kept the text as `text` and had no sentiment: it is computed on read, as v2 does on write.
    1: (payload) => {
      const old = messageSentV1.parse(payload);
      return {
        conversationId: old.conversationId,
        messageId: old.messageId,
        content: old.text,
        sentiment: analyseSentiment(old.text),
      };
    },
  },
};

function isEventType(type: string): type is LunaEventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

/** A stored event's payload at the current version, validated; throws on an unknown type. */
export function decodeEvent(row: {
  type: string;
  schemaVersion: number;
  payload: unknown;
}): LunaEvent {
  const { type } = row;
  if (!isEventType(type)) throw new Error(`unknown Luna event type ${type}`);
  let payload = row.payload;
  for (let version = row.schemaVersion; version < CURRENT_VERSION[type]; version++) {
    const upcast = UPCASTERS[type]?.[version];
    if (!upcast) throw new Error(`no upcaster for ${type} v${version}`);
    payload = upcast(payload);
  }
  return { type, payload: EVENT_PAYLOADS[type].parse(payload) } as LunaEvent;
}

/** Validates an event before it is written, so a stream never holds a payload it cannot read. */
export function encodeEvent(event: LunaEvent) {
  return {
    type: event.type,
    schemaVersion: CURRENT_VERSION[event.type],
    payload: JSON.stringify(EVENT_PAYLOADS[event.type].parse(event.payload)),
  };
}
