import { randomUUID } from 'node:crypto';
import type { Database, Kysely } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import { runCallCommand } from './command.ts';
import type { LunaCall } from './context.ts';
import { type LunaEvent, type ProgressSource, progressSource } from './event-schemas.ts';
import { moodOver } from './mood.ts';
import type { Proposal } from './schemas.ts';

type Db = Kysely<Database>;

const PROPOSAL_COLUMNS = [
  'id',
  'title',
  'target',
  'tracks',
  'status',
  'goalId',
  'createdAt',
] as const;

interface Idea {
  title: string;
  target: number;
  tracks: ProgressSource | null;
}

/** What Luna proposes, in order; a low week puts the gentlest first. */
function ideas(moodWeek: number | null): Idea[] {
  const gentle: Idea = { title: 'Take a ten-minute walk on three days', target: 3, tracks: null };
  const rest: Idea[] = [
    { title: 'Complete three Kaizen actions', target: 3, tracks: 'rise.kaizen' },
    { title: 'Sit for Zazen five times', target: 5, tracks: 'rise.zazen' },
    { title: 'Write the next chapter of your story', target: 1, tracks: null },
  ];
  return moodWeek !== null && moodWeek <= -0.1 ? [gentle, ...rest] : [...rest, gentle];
}

/**
 * Luna proposes the first goal of its list the user has neither as a goal nor as a
 * proposal; null when there is nothing new to propose.
 */
export async function proposeGoal(call: LunaCall): Promise<Proposal | null> {
  const userId = call.payer.userId;
  const moodWeek = await moodOver(call.deps.db, userId, { days: 7, nowMs: call.nowMs });
  const proposalId = randomUUID();
  const { result: proposed } = await runCallCommand(call, async ({ trx }) => {
    const [goals, proposals] = await Promise.all([
      trx.selectFrom('lunaGoals').select('title').where('userId', '=', userId).execute(),
      trx.selectFrom('lunaGoalProposals').select('title').where('userId', '=', userId).execute(),
    ]);
    const taken = new Set([...goals, ...proposals].map((r) => r.title));
    const idea = ideas(moodWeek).find((i) => !taken.has(i.title));
    if (!idea) return { events: [], result: false };
    const events: LunaEvent[] = [{ type: 'goal.proposed', payload: { proposalId, ...idea } }];
    return { events, result: true };
  });
  return proposed ? getProposal(call.deps.db, userId, proposalId) : null;
}

async function getProposal(db: Db, userId: string, id: string): Promise<Proposal> {
  const row = await db
    .selectFrom('lunaGoalProposals')
    .select(PROPOSAL_COLUMNS)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('Goal proposal');
  return row;
}

export async function listProposals(db: Db, userId: string): Promise<Proposal[]> {
  return db
    .selectFrom('lunaGoalProposals')
    .select(PROPOSAL_COLUMNS)
    .where('userId', '=', userId)
    .where('status', '=', 'open')
    .orderBy('position', 'desc')
    .execute();
}

/**
 * Accepting creates the goal in the same command; answering an answered proposal again
 * changes nothing (a retried accept never creates a second goal).
 */
export async function answerProposal(
  call: LunaCall,
  input: { id: string; accept: boolean },
): Promise<Proposal> {
  const userId = call.payer.userId;
  await runCallCommand(call, async ({ trx }) => {
    const proposal = await getProposal(trx, userId, input.id);
    if (proposal.status !== 'open') return { events: [], result: null };
    const tracks = progressSource.safeParse(proposal.tracks).data ?? null;
    const goalId = input.accept ? randomUUID() : null;
    const events: LunaEvent[] = goalId
      ? [
          {
            type: 'goal.created',
            payload: { goalId, title: proposal.title, target: proposal.target, tracks },
          },
        ]
      : [];
    events.push({ type: 'goal.proposal_answered', payload: { proposalId: proposal.id, goalId } });
    return { events, result: null };
  });
  return getProposal(call.deps.db, userId, input.id);
}
