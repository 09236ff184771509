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

/**
 * Appends events to a user's stream at `expectedVersion + 1, + 2, ...`. The unique
 * (user, version) key makes a concurrent append at the same version fail here with a
 * CONFLICT the caller can retry: one writer wins, nothing is duplicated or lost.
 */
export async function appendEvents(db: Db, options: AppendOptions): Promise<StoredEvent[]> {
  const { userId, expectedVersion, tsMs, requestId, events } = options;
  if (events.length === 0) return [];
  const rows = events.map((event, i) => ({
    userId,
    version: expectedVersion + i + 1,
    tsMs,
    requestId,
    ...encodeEvent(event),
  }));
  try {
    await db.insertInto('lunaEvents').values(rows).execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('Another change reached this stream first; retry', {
        reason: 'STREAM_VERSION_CONFLICT',
        cause: error,
      });
    }
    throw error;
  }
  return events.map((event, i) => ({ version: expectedVersion + i + 1, tsMs, event }));
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
