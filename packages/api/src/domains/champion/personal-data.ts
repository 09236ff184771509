import { sql } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

const mine = (userId: string) =>
  sql<boolean>`champion_id in (select id from champions where user_id = ${userId})`;

/** Champions (with their recordings), patterns, scenarios, training sessions. */
export const championPersonalData = definePersonalData({
  domain: 'champion',
  about:
    'Champion training: your champions, their call transcripts and recordings, patterns, scenarios and training sessions.',
  tables: {
    champions: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Each champion you built (and its uploaded recording, under files/champion/).',
    },
    champion_transcripts: {
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'The sales-call transcript of each champion.',
    },
    champion_turns: {
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'The transcript, turn by turn.',
    },
    champion_patterns: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Selling patterns extracted from your calls.',
    },
    champion_scenarios: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Training scenarios generated for your champions.',
    },
    training_sessions: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Your role-play training sessions and their scores.',
    },
  },
  async exportUserData({ db, subject }) {
    const { userId } = subject;
    return {
      champions: await db
        .selectFrom('champions')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      champion_transcripts: await db
        .selectFrom('championTranscripts')
        .selectAll()
        .where(mine(userId))
        .execute(),
      champion_turns: await db
        .selectFrom('championTurns')
        .selectAll()
        .where(mine(userId))
        .execute(),
      champion_patterns: await db
        .selectFrom('championPatterns')
        .select(sql<unknown>`to_jsonb(champion_patterns) - 'embedding'`.as('row'))
        .where('userId', '=', userId)
        .execute(),
      champion_scenarios: await db
        .selectFrom('championScenarios')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      training_sessions: await db
        .selectFrom('trainingSessions')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
    };
  },
  async userFiles({ db, subject }) {
    const rows = await db
      .selectFrom('champions')
      .select(['id', 'recordingKey'])
      .where('userId', '=', subject.userId)
      .where('recordingKey', 'is not', null)
      .execute();
    return rows.flatMap((r) =>
      r.recordingKey
        ? [{ key: r.recordingKey, name: `${r.id}-${r.recordingKey.split('/').at(-1)}` }]
        : [],
    );
  },
  async eraseUserData({ db, subject }) {
    const { userId } = subject;
    // Sessions first (they reference scenario versions), then champions (the rest cascades).
    const sessions = await db
      .deleteFrom('trainingSessions')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const scenarios = await db
      .deleteFrom('championScenarios')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const patterns = await db
      .deleteFrom('championPatterns')
      .where('userId', '=', userId)
      .executeTakeFirst();
    const champions = await db
      .deleteFrom('champions')
      .where('userId', '=', userId)
      .executeTakeFirst();
    return {
      training_sessions: affected(sessions),
      champion_scenarios: affected(scenarios),
      champion_patterns: affected(patterns),
      champions: affected(champions),
    };
  },
});
