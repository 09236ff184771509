import { CELEBRATION_COLUMNS } from './celebrations.service.ts';
import type { LunaCall } from './context.ts';
import { GOAL_COLUMNS } from './goals.service.ts';
import { currentEnergy } from './messages.service.ts';
import { moodOver } from './mood.ts';
import type { Today } from './schemas.ts';

const GOALS_SHOWN = 10;

/** Luna's dashboard in one round trip: every part read from a projection. */
export async function today(call: LunaCall): Promise<Today> {
  const { db } = call.deps;
  const userId = call.payer.userId;
  const [energy, week, month, goalsInProgress, latestCelebration] = await Promise.all([
    currentEnergy(call),
    moodOver(db, userId, { days: 7, nowMs: call.nowMs }),
    moodOver(db, userId, { days: 30, nowMs: call.nowMs }),
    db
      .selectFrom('lunaGoals')
      .select(GOAL_COLUMNS)
      .where('userId', '=', userId)
      .where('completedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(GOALS_SHOWN)
      .execute(),
    db
      .selectFrom('lunaCelebrations')
      .select(CELEBRATION_COLUMNS)
      .where('userId', '=', userId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    energy,
    mood: { week, month },
    goalsInProgress,
    latestCelebration: latestCelebration ?? null,
  };
}
