import { type Database, type Kysely, sql } from '@phoenix/db';
import { raiseAlert } from '../alerts.ts';
import { errorFingerprint, normalizeMessage } from './fingerprint.ts';

export interface CapturedError {
  error: unknown;
  path: string | null;
  requestId: string | null;
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'NonError', message: String(error) };
}

/**
 * Records an unhandled error: one row per fingerprint (count, first/last seen; a
 * resolved error that recurs reopens) plus one occurrence row, and a `error.new`
 * alert the first time a fingerprint is seen.
 */
export async function captureError(db: Kysely<Database>, captured: CapturedError): Promise<string> {
  const { name, message } = describe(captured.error);
  const fingerprint = errorFingerprint(name, message, captured.path);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('adminErrors')
      .values({
        fingerprint,
        name: name.slice(0, 200),
        message: message.slice(0, 2000),
        path: captured.path,
        lastRequestId: captured.requestId,
      })
      .onConflict((oc) =>
        oc.column('fingerprint').doUpdateSet({
          count: sql`admin_errors.count + 1`,
          lastSeenAt: sql`now()`,
          lastRequestId: captured.requestId,
          message: message.slice(0, 2000),
          resolvedAt: null,
        }),
      )
      // xmax = 0 only for a freshly inserted row: tells a new fault from a repeat.
      .returning(['id', sql<boolean>`xmax = 0`.as('inserted')])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('adminErrorOccurrences')
      .values({ errorId: row.id, requestId: captured.requestId })
      .execute();
    if (row.inserted) {
      await raiseAlert(trx, {
        kind: 'error.new',
        severity: 'warning',
        title: `New error: ${name}${captured.path ? ` in ${captured.path}` : ''}`,
        body: normalizeMessage(message).slice(0, 500),
        dedupeKey: `error.new:${fingerprint}`,
      });
    }
  });
  return fingerprint;
}
