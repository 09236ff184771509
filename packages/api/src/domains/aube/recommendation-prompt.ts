import type { AubeLocale, Diagnostic, LocalizedMatch, RecommendationStep } from './schemas.ts';

/** How many top matches the plan talks about: enough to compare, few enough to act on. */
export const PLAN_CAREERS = 3;
const FOCUS_SKILLS = 2;

const LANGUAGE: Record<AubeLocale, string> = { en: 'English', fr: 'French' };

const OUTLOOK: Record<AubeLocale, Record<LocalizedMatch['growthOutlook'], string>> = {
  en: { declining: 'declining', stable: 'stable', growing: 'growing', booming: 'booming' },
  fr: {
    declining: 'en déclin',
    stable: 'stable',
    growing: 'en croissance',
    booming: 'en plein essor',
  },
};

interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/**
 * The request sent through the gateway. The user message opens with one plain sentence
 * because that is what the offline provider quotes back when no key is configured.
 */
export function planMessages(
  diagnostic: Diagnostic,
  matches: readonly LocalizedMatch[],
  locale: AubeLocale,
): ChatMessage[] {
  const top = matches.slice(0, PLAN_CAREERS);
  const { scores } = diagnostic;
  return [
    {
      role: 'system',
      content: [
        'You are Phoenix Aube, a practical career coach.',
        `Write in ${LANGUAGE[locale]}: a short personalised plan of at most six bullet points.`,
        'Use only the profile and careers given. Weigh AI resilience and growth outlook.',
        'End with one concrete action for this week. No preamble, no disclaimers.',
      ].join(' '),
    },
    {
      role: 'user',
      content: [
        `Career plan for an ${diagnostic.type} profile: ${top.map((m) => m.title).join(', ')}.`,
        '',
        `Scores (0-100 toward E, S, T, J): EI ${scores.EI}, SN ${scores.SN}, TF ${scores.TF}, JP ${scores.JP}; confidence ${diagnostic.confidence}.`,
        'Top matches:',
        ...top.map(
          (m) =>
            `${m.rank}. ${m.title}: match ${m.matchScore}, AI resilience ${m.aiResilience} (${m.aiResilienceRationale}), outlook ${m.growthOutlook}; skills ${m.skills.join(', ')}.`,
        ),
      ].join('\n'),
    },
  ];
}

/**
 * Next steps computed from the matches alone, so the plan stays useful whatever the model
 * says (or when only the offline provider answers).
 */
export function planSteps(
  matches: readonly LocalizedMatch[],
  locale: AubeLocale,
): RecommendationStep[] {
  return matches.slice(0, PLAN_CAREERS).map((m) => {
    const focusSkills = m.skills.slice(0, FOCUS_SKILLS);
    const outlook = OUTLOOK[locale][m.growthOutlook];
    const action =
      locale === 'fr'
        ? `Explorez le métier ${m.title} (affinité ${m.matchScore} %, résilience à l’IA ${m.aiResilience}/100, marché ${outlook}) : commencez par ${focusSkills.join(' et ')}.`
        : `Explore ${m.title} (${m.matchScore}% match, AI resilience ${m.aiResilience}/100, ${outlook} market): start with ${focusSkills.join(' and ')}.`;
    return { careerId: m.careerId, title: m.title, action, focusSkills };
  });
}
