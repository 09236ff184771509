import type { Database, Kysely } from '@phoenix/db';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import type { AdminListRequestsInput, AdminRequestPage } from './schemas.ts';

/** `admin.gdpr.requests.list`: every export and erasure, newest first, with its state. */
export function listRequests(
  db: Kysely<Database>,
  input: AdminListRequestsInput,
): Promise<AdminRequestPage> {
  let query = db
    .selectFrom('gdprRequests as r')
    .leftJoin('users as u', 'u.id', 'r.userId')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.requestedBy',
      'r.userId',
      'u.email',
      'r.adminId',
      'r.tombstone',
      'r.createdAt',
      'r.scheduledFor',
      'r.completedAt',
      'r.report',
    ]);
  if (input.kind) query = query.where('r.kind', '=', input.kind);
  if (input.status) query = query.where('r.status', '=', input.status);
  if (input.userId) query = query.where('r.userId', '=', input.userId);
  const keyset: Keyset = {
    scope: 'gdpr-requests',
    keys: [key.micros('r.created_at'), key.uuid('r.id')],
    order: 'desc',
  };
  return paginate(query, keyset, input);
}
