export { createEvents, type EventHandler, type Events } from './bus.ts';
export type { DomainEvent, EmittedEvent, EventPayload, EventType } from './types.ts';
export { eventSchemas, eventTypes } from './types.ts';
