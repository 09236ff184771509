import { sql } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

/** Database name -> Kysely name of every Luna table; messages before their conversations. */
const READ_MODELS = {
  luna_messages: 'lunaMessages',
  luna_conversations: 'lunaConversations',
  luna_goal_proposals: 'lunaGoalProposals',
  luna_goals: 'lunaGoals',
  luna_celebrations: 'lunaCelebrations',
  luna_chapters: 'lunaChapters',
  luna_narrative_versions: 'lunaNarrativeVersions',
  luna_inbox: 'lunaInbox',
  luna_energy_transactions: 'lunaEnergyTransactions',
  luna_energy: 'lunaEnergy',
} as const;

const ABOUT: Record<keyof typeof READ_MODELS | 'luna_events', string> = {
  luna_events:
    'Your event stream: everything that happened with Luna, in order (the source of the rest).',
  luna_messages: 'Your messages to Luna and its replies, with the mood read from each of yours.',
  luna_conversations: 'Your conversations: titles, dates, message counts.',
  luna_goal_proposals: 'Goals Luna proposed and your answers.',
  luna_goals: 'Your goals and their progress.',
  luna_celebrations: 'Celebrations Luna gave you.',
  luna_chapters: 'Chapters of your story.',
  luna_narrative_versions: 'Every summary of your story Luna wrote.',
  luna_inbox: 'Progress from other parts of the hub already applied to your goals.',
  luna_energy_transactions: 'Every change of your energy, with its reason.',
  luna_energy: 'Your energy balance.',
};

/** The coach: the event stream and every read model built from it. */
export const lunaPersonalData = definePersonalData({
  domain: 'luna',
  about: 'Luna, the coach: your conversations, goals, celebrations, story and energy.',
  tables: Object.fromEntries(
    Object.entries(ABOUT).map(([table, about]) => [
      table,
      { userColumns: ['user_id'], erasure: { kind: 'delete' }, about },
    ]),
  ),
  async exportUserData({ db, subject }) {
    const out: Record<string, unknown[]> = {
      luna_events: await db
        .selectFrom('lunaEvents')
        .selectAll()
        .where('userId', '=', subject.userId)
        .orderBy('version')
        .execute(),
    };
    for (const [table, name] of Object.entries(READ_MODELS)) {
      out[table] = await db
        .selectFrom(name)
        .selectAll()
        .where('userId', '=', subject.userId)
        .execute();
    }
    return out;
  },
  async eraseUserData({ db, subject }) {
    // The event store's one permitted delete: luna_erase_stream() names this user's stream.
    const { rows } = await sql<{ removed: number }>`
      select luna_erase_stream(${subject.userId}::uuid) as removed
    `.execute(db);
    const out: Record<string, number> = { luna_events: Number(rows[0]?.removed ?? 0) };
    for (const [table, name] of Object.entries(READ_MODELS)) {
      const result = await db
        .deleteFrom(name)
        .where('userId', '=', subject.userId)
        .executeTakeFirst();
      out[table] = affected(result);
    }
    return out;
  },
});
