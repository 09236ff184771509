import type { Database, Kysely } from '@phoenix/db';
import { type Keyset, key, paginate } from '../../../platform/pagination.ts';
import type { ActivityPage, ListActivitiesInput } from './schemas.ts';

const NEWEST: Keyset = { scope: 'activities', keys: [key.int('id')], order: 'desc' };

/** What users did, newest first (ids grow with time), filtered by user, action and period. */
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
