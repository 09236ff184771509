import { z } from 'zod';

/**
 * Every domain event and the shape of its payload. Adding an event is one entry here;
 * `emit` and `on` are typed from this table.
 */
export const eventSchemas = {
  'user.registered': z.object({ userId: z.uuid(), email: z.string(), displayName: z.string() }),
  'user.login': z.object({ userId: z.uuid() }),
  /** `fields`: the profile fields the update set (names, never values). */
  'user.updated': z.object({ userId: z.uuid(), fields: z.array(z.string()) }),
  'credits.granted': z.object({
    userId: z.uuid(),
    amount: z.int().positive(),
    kind: z.string(),
    balance: z.int(),
  }),
  'credits.low': z.object({ userId: z.uuid(), balance: z.int(), threshold: z.int() }),
  'gateway.circuit_open': z.object({
    provider: z.string(),
    openedAt: z.int(),
    openUntil: z.int(),
  }),
  'subscription.changed': z.object({
    userId: z.uuid(),
    tier: z.enum(['FREE', 'PREMIUM']),
    previousTier: z.enum(['FREE', 'PREMIUM']),
    /** Billing's plan ids and subscription status (absent from an event emitted before them). */
    plan: z.string().nullable().optional(),
    previousPlan: z.string().nullable().optional(),
    status: z.string().optional(),
    /** What changed it: `invoice.paid`, `payment_failed`, `grace_expired`, `admin`... */
    cause: z.string().optional(),
  }),
  /** A Kaizen action newly completed (un-completing and completing again emits again). */
  'rise.kaizen.completed': z.object({ userId: z.uuid(), kaizenId: z.uuid() }),
  'rise.zazen.recorded': z.object({
    userId: z.uuid(),
    sessionId: z.uuid(),
    durationSeconds: z.int(),
  }),
  /** An Aube diagnostic scored and stored (each submission is one). */
  'aube.diagnostic.completed': z.object({
    userId: z.uuid(),
    diagnosticId: z.uuid(),
    type: z.string(),
  }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventPayload<T extends EventType> = z.output<(typeof eventSchemas)[T]>;

/** What a domain emits: a type and its payload, checked against each other. */
export type EmittedEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

/** What a subscriber receives. `id` is stable across redeliveries: use it to deduplicate. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  payload: EventPayload<T>;
  occurredAt: Date;
}

export const eventTypes = Object.keys(eventSchemas) as EventType[];
