import { randomUUID } from 'node:crypto';
import { type Database, type Kysely, sql, type Transaction } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { balanceAfter, celebrate } from './celebrations.ts';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import type { EnergyPolicy } from './energy.ts';
import type { LunaEvent, ProgressSource } from './event-schemas.ts';
import type { Goal, GoalPage } from './schemas.ts';

type Db = Kysely<Database>;

export const GOAL_COLUMNS = [
  'id',
  'title',
  'target',
  'tracks',
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

export async function createGoal(
  call: LunaCall,
  input: { title: string; target: number; tracks?: ProgressSource | undefined },
): Promise<Goal> {
  const payload = {
    goalId: randomUUID(),
    title: input.title,
    target: input.target,
    tracks: input.tracks ?? null,
  };
  await runCallCommand(call, async () => ({
    events: [{ type: 'goal.created', payload }],
    result: null,
  }));
  // The goal as the projection just wrote it (no read back).
  return {
    id: payload.goalId,
    title: payload.title,
    target: payload.target,
    tracks: payload.tracks,
    progress: 0,
    completed: false,
    completedAt: null,
    createdAt: new Date(call.nowMs),
  };
}

/**
 * The events of one step towards an open goal: reaching the target completes it and fires
 * its celebration, once. Returns the energy after any reward, for the next step.
 */
export async function stepGoal(
  trx: Transaction<Database>,
  options: { userId: string; goal: Goal; amount: number; energy: number; policy: EnergyPolicy },
): Promise<{ events: LunaEvent[]; energy: number }> {
  const { goal, amount } = options;
  const progress = Math.min(goal.target, goal.progress + amount);
  const completed = progress === goal.target;
  const events: LunaEvent[] = [
    { type: 'goal.progressed', payload: { goalId: goal.id, amount, progress, completed } },
  ];
  if (completed) {
    events.push(
      ...(await celebrate(trx, {
        userId: options.userId,
        kind: 'goal_completed',
        occurrence: goal.id,
        energy: options.energy,
        policy: options.policy,
      })),
    );
  }
  return { events, energy: balanceAfter(events, options.energy) };
}

/** One step towards a goal; a step on a completed goal changes nothing and writes nothing. */
export async function progressGoal(
  call: LunaCall,
  input: { id: string; amount: number },
): Promise<Goal> {
  const userId = call.payer.userId;
  await runCallCommand(call, async ({ trx, energy }) => {
    const goal = await getGoal(trx, userId, input.id);
    if (goal.completed) return { events: [], result: null };
    const step = await stepGoal(trx, {
      userId,
      goal,
      amount: input.amount,
      energy,
      policy: call.policy,
    });
    return { events: step.events, result: null };
  });
  return getGoal(call.deps.db, userId, input.id);
}

/** Open goals of a user that another domain's events move. */
export async function goalsTracking(db: Db, userId: string, source: string): Promise<Goal[]> {
  return db
    .selectFrom('lunaGoals')
    .select(GOAL_COLUMNS)
    .where('userId', '=', userId)
    .where('tracks', '=', source)
    .where('completedAt', 'is', null)
    .orderBy('position')
    .execute();
}

export async function listGoals(
  db: Db,
  userId: string,
  input: { status: 'active' | 'completed' | 'all'; limit: number; cursor?: string | undefined },
): Promise<GoalPage> {
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
