import { randomUUID } from 'node:crypto';
import { type Database, type Kysely, sql } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { celebrate } from './celebrations.ts';
import { runCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import type { LunaEvent } from './event-schemas.ts';
import type { Goal } from './schemas.ts';

type Db = Kysely<Database>;

export const GOAL_COLUMNS = [
  'id',
  'title',
  'target',
  'progress',
  sql<boolean>`completed_at is not null`.as('completed'),
  'completedAt',
  'createdAt',
] as const;

async function getGoal(db: Db, userId: string, id: string): Promise<Goal> {
  const goal = await db
    .selectFrom('lunaGoals')
    .select(GOAL_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (!goal) throw notFound('Goal');
  return goal;
}

export async function createGoal(call: LunaCall, input: { title: string; target: number }) {
  const goalId = randomUUID();
  await runCommand(call.deps.db, {
    userId: call.payer.userId,
    policy: call.policy,
    nowMs: call.nowMs,
    requestId: call.requestId,
    decide: async () => ({
      events: [{ type: 'goal.created', payload: { goalId, ...input } }],
      result: null,
    }),
  });
  return getGoal(call.deps.db, call.payer.userId, goalId);
}

/**
 * One step towards a goal. Reaching the target completes it and fires its celebration,
 * once: a step on a completed goal changes nothing and writes nothing.
 */
export async function progressGoal(call: LunaCall, input: { id: string; amount: number }) {
  const userId = call.payer.userId;
  await runCommand(call.deps.db, {
    userId,
    policy: call.policy,
    nowMs: call.nowMs,
    requestId: call.requestId,
    decide: async ({ trx, energy }) => {
      const goal = await getGoal(trx, userId, input.id);
      if (goal.completed) return { events: [], result: null };
      const progress = Math.min(goal.target, goal.progress + input.amount);
      const completed = progress === goal.target;
      const events: LunaEvent[] = [
        {
          type: 'goal.progressed',
          payload: { goalId: goal.id, amount: input.amount, progress, completed },
        },
      ];
      if (completed) {
        events.push(
          ...(await celebrate(trx, {
            userId,
            kind: 'goal_completed',
            occurrence: goal.id,
            energy,
            policy: call.policy,
          })),
        );
      }
      return { events, result: null };
    },
  });
  return getGoal(call.deps.db, userId, input.id);
}

export async function listGoals(
  db: Db,
  userId: string,
  input: { status: 'active' | 'completed' | 'all'; limit: number; cursor?: string | undefined },
) {
  let query = db.selectFrom('lunaGoals').select(GOAL_COLUMNS).where('userId', '=', userId);
  if (input.status === 'active') query = query.where('completedAt', 'is', null);
  if (input.status === 'completed') query = query.where('completedAt', 'is not', null);
  const keyset: Keyset = {
    scope: `luna-goals:${input.status}`,
    keys: [key.micros('created_at'), key.uuid()],
    order: 'desc',
  };
  return paginate(query, keyset, input);
}
