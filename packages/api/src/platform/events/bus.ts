import type { Database, Kysely } from '@phoenix/db';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { defineJob, type RetryPolicy } from '../jobs/define.ts';
import type { Jobs } from '../jobs/queue.ts';
import {
  type DomainEvent,
  type EmittedEvent,
  type EventType,
  eventSchemas,
  eventTypes,
} from './types.ts';

export type EventHandler<T extends EventType> = (
  deps: AppDeps,
  event: DomainEvent<T>,
) => Promise<void>;

export interface Events {
  /**
   * Subscribes `handler` to events of `type`, under a name unique for that type (it is
   * stored with each delivery, so a retry after a restart finds its handler). Every process
   * registers the same subscribers at startup: the emitting process enqueues one delivery
   * job per subscriber, any worker runs it. Delivery is at least once: deduplicate by `event.id`.
   */
  on<T extends EventType>(type: T, subscriber: string, handler: EventHandler<T>): void;
  /**
   * Records the event and enqueues its deliveries inside `trx`, the transaction of the write
   * that caused it: a write that rolls back emits nothing, one that commits is never missed.
   */
  emit(trx: Kysely<Database>, event: EmittedEvent): Promise<string>;
  subscribers(type: EventType): string[];
}

const deliverySchema = z.object({
  subscriber: z.string(),
  event: z.object({
    id: z.uuid(),
    type: z.enum(eventTypes as [EventType, ...EventType[]]),
    payload: z.unknown(),
    occurredAt: z.iso.datetime(),
  }),
});

type AnyHandler = (deps: AppDeps, event: DomainEvent) => Promise<void>;

/**
 * Domain events as an outbox. The deliveries are pg-boss jobs in the same database, so
 * enqueueing them in the write's transaction is the outbox: no relay process and no
 * polling of the event table are needed. `domain_events` keeps the history (later webhook
 * replays and the admin view read it).
 */
export function createEvents(jobs: Jobs, retry?: Partial<RetryPolicy>): Events {
  const handlers = new Map<EventType, Map<string, AnyHandler>>();

  const deliver = defineJob({
    name: 'event.deliver',
    payload: deliverySchema,
    ...(retry ? { retry } : {}),
    async handler(deps, { subscriber, event }) {
      const handler = handlers.get(event.type)?.get(subscriber);
      // A subscriber removed since the event was sent: a failure, so it shows in admin.jobs.
      if (!handler) throw new Error(`No subscriber "${subscriber}" for ${event.type}`);
      await handler(deps, {
        id: event.id,
        type: event.type,
        payload: eventSchemas[event.type].parse(event.payload),
        occurredAt: new Date(event.occurredAt),
      } as DomainEvent);
    },
  });
  jobs.register(deliver);

  return {
    on(type, subscriber, handler) {
      const forType = handlers.get(type) ?? new Map<string, AnyHandler>();
      if (forType.has(subscriber)) throw new Error(`"${subscriber}" already subscribes to ${type}`);
      forType.set(subscriber, handler as AnyHandler);
      handlers.set(type, forType);
    },
    async emit(trx, event) {
      if (!trx.isTransaction) {
        throw new Error(`emit(${event.type}) needs the transaction of the write that caused it`);
      }
      const payload = eventSchemas[event.type].parse(event.payload);
      const row = await trx
        .insertInto('domainEvents')
        .values({ type: event.type, payload: JSON.stringify(payload) })
        .returning(['id', 'occurredAt'])
        .executeTakeFirstOrThrow();
      const subscribers = [...(handlers.get(event.type)?.keys() ?? [])];
      await jobs.sendMany(
        deliver,
        subscribers.map((subscriber) => ({
          subscriber,
          event: {
            id: row.id,
            type: event.type,
            payload,
            occurredAt: row.occurredAt.toISOString(),
          },
        })),
        { db: trx },
      );
      return row.id;
    },
    subscribers: (type) => [...(handlers.get(type)?.keys() ?? [])],
  };
}
