import { type Database, isUniqueViolation, type Kysely } from '@phoenix/db';
import { conflict } from '@phoenix/errors';
import { decodeEvent, encodeEvent, type LunaEvent } from './event-schemas.ts';

type Db = Kysely<Database>;

export interface StoredEvent {
  version: number;
  tsMs: number;
  event: LunaEvent;
}

export interface AppendOptions {
  userId: string;
  /** The stream version the caller decided from; the append fails if the stream moved on. */
  expectedVersion: number;
  tsMs: number;
  requestId: string | null;
  events: readonly LunaEvent[];
}

/** The rows an append writes, and the events as stored. */
export function eventRows(options: AppendOptions) {
  const { userId, expectedVersion, tsMs, requestId, events } = options;
  const rows = events.map((event, i) => ({
    userId,
    version: expectedVersion + i + 1,
    tsMs,
    requestId,
    ...encodeEvent(event),
  }));
  const stored = events.map((event, i) => ({ version: expectedVersion + i + 1, tsMs, event }));
  return { rows, stored };
}

/**
 * Runs `write` (which inserts the events); the unique (user, version) key makes a
 * concurrent append at the same version fail there with a CONFLICT the caller can retry:
 * one writer wins, nothing is duplicated or lost.
 */
export async function asStreamAppend<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('Another change reached this stream first; retry', {
        reason: 'STREAM_VERSION_CONFLICT',
        cause: error,
      });
    }
    throw error;
  }
}

/** Appends events to a user's stream at `expectedVersion + 1, + 2, ...` (see asStreamAppend). */
export async function appendEvents(db: Db, options: AppendOptions): Promise<StoredEvent[]> {
  if (options.events.length === 0) return [];
  const { rows, stored } = eventRows(options);
  await asStreamAppend(() => db.insertInto('lunaEvents').values(rows).execute());
  return stored;
}

/** A user's stream in order, each event upcast to its current version. */
export async function readStream(
  db: Db,
  userId: string,
  options: { afterVersion?: number } = {},
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('lunaEvents')
    .select(['version', 'type', 'schemaVersion', 'payload', 'tsMs'])
    .where('userId', '=', userId)
    .where('version', '>', options.afterVersion ?? 0)
    .orderBy('version')
    .execute();
  return rows.map((row) => ({ version: row.version, tsMs: row.tsMs, event: decodeEvent(row) }));
}
