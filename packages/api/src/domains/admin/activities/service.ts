import type { Database, Kysely } from '@phoenix/db';
import { type Keyset, key, paginate } from '../../../platform/pagination.ts';
import type { ActivityPage, ListActivitiesInput } from './schemas.ts';

/**
 * Newest first by time, then id: the order activity_events' indexes hold, (created_at),
 * (user_id, created_at) and (action, created_at), so a filtered page reads its rows in order
 * (by id alone, a user's or an action's every row was sorted for each page).
 */
const NEWEST: Keyset = {
  scope: 'activities-by-time',
  keys: [key.micros('created_at'), key.int()],
  order: 'desc',
};

/** What users did, newest first, filtered by user, action and period. */
export async function listActivities(
  db: Kysely<Database>,
  input: ListActivitiesInput,
): Promise<ActivityPage> {
  let query = db
    .selectFrom('activityEvents')
    .select(['id', 'userId', 'action', 'resourceId', 'createdAt']);
  if (input.userId) query = query.where('userId', '=', input.userId);
  if (input.action) query = query.where('action', '=', input.action);
  if (input.from) query = query.where('createdAt', '>=', input.from);
  if (input.to) query = query.where('createdAt', '<', input.to);
  return paginate(query, NEWEST, input);
}
