import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

const TABLES = {
  aube_diagnostics: 'aubeDiagnostics',
  aube_recommendations: 'aubeRecommendations',
  aube_career_events: 'aubeCareerEvents',
  aube_saved_careers: 'aubeSavedCareers',
} as const;

/** Diagnostics, recommendations and how careers were explored. */
export const aubePersonalData = definePersonalData({
  domain: 'aube',
  about: 'Aube: your career diagnostics (answers and results), AI recommendations, saved careers.',
  tables: {
    aube_diagnostics: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Each completed diagnostic: your answers, scores, type and confidence.',
    },
    aube_recommendations: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'The AI plan written for a diagnostic.',
    },
    aube_career_events: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Careers you viewed, saved or dismissed, and when.',
    },
    aube_saved_careers: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Your current list of saved careers.',
    },
  },
  async exportUserData({ db, subject }) {
    const out: Record<string, unknown[]> = {};
    for (const [table, name] of Object.entries(TABLES)) {
      out[table] = await db
        .selectFrom(name)
        .selectAll()
        .where('userId', '=', subject.userId)
        .execute();
    }
    return out;
  },
  async eraseUserData({ db, subject }) {
    const out: Record<string, number> = {};
    // Recommendations first: they reference diagnostics.
    for (const table of [
      'aube_recommendations',
      'aube_diagnostics',
      'aube_career_events',
      'aube_saved_careers',
    ] as const) {
      const result = await db
        .deleteFrom(TABLES[table])
        .where('userId', '=', subject.userId)
        .executeTakeFirst();
      out[table] = affected(result);
    }
    return out;
  },
});
