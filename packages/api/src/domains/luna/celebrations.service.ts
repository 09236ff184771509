import type { Database, Kysely } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import type { Celebration, CelebrationPage } from './schemas.ts';

type Db = Kysely<Database>;

export const CELEBRATION_COLUMNS = ['id', 'kind', 'reward', 'seen', 'createdAt'] as const;

export async function listCelebrations(
  db: Db,
  userId: string,
  input: { limit: number; cursor?: string | undefined },
): Promise<CelebrationPage> {
  const query = db
    .selectFrom('lunaCelebrations')
    .select(CELEBRATION_COLUMNS)
    .where('userId', '=', userId);
  const keyset: Keyset = {
    scope: 'luna-celebrations',
    keys: [key.micros('created_at'), key.uuid()],
    order: 'desc',
  };
  return paginate(query, keyset, input);
}

/** Marks one of the caller's celebrations seen (seeing it twice writes nothing more). */
export async function markCelebrationSeen(call: LunaCall, id: string): Promise<Celebration> {
  const userId = call.payer.userId;
  await runCallCommand(call, async ({ trx }) => {
    const row = await trx
      .selectFrom('lunaCelebrations')
      .select('seen')
      .where('id', '=', id)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('Celebration');
    if (row.seen) return { events: [], result: null };
    return {
      events: [{ type: 'celebration.seen', payload: { celebrationId: id } }],
      result: null,
    };
  });
  return call.deps.db
    .selectFrom('lunaCelebrations')
    .select(CELEBRATION_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}
