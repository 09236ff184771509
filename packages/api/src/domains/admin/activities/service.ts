import type { Database, Kysely } from '@phoenix/db';
import { z } from 'zod';
import { decodeCursor, encodeCursor, page } from '../../../pagination.ts';
import type { ListActivitiesInput } from './schemas.ts';

const cursorSchema = z.object({ id: z.int() });

/** What users did, newest first (ids grow with time), filtered by user, action and period. */
export async function listActivities(db: Kysely<Database>, input: ListActivitiesInput) {
  let query = db
    .selectFrom('activityEvents')
    .select(['id', 'userId', 'action', 'resourceId', 'createdAt'])
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.userId) query = query.where('userId', '=', input.userId);
  if (input.action) query = query.where('action', '=', input.action);
  if (input.from) query = query.where('createdAt', '>=', input.from);
  if (input.to) query = query.where('createdAt', '<', input.to);
  if (input.cursor) query = query.where('id', '<', decodeCursor(input.cursor, cursorSchema).id);
  return page(await query.execute(), input.limit, (last) => encodeCursor({ id: last.id }));
}
