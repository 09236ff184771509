import type { Question } from '../model.ts';

/**
 * Stored diagnostics keep the version they were answered against, so editing an item's
 * wording or direction means a new version (and a new entry in QUESTION_CATALOGS), never
 * an in-place change that would silently rescore old answers.
 */
export const QUESTION_CATALOG_VERSION = '2026-11-v1';

// Items cycle through the four dimensions so that neighbouring questions never probe the
// same preference, and each dimension has as many `first` as `second` items: someone who
// agrees with everything (acquiescence bias) then lands near 50 instead of on one pole.
const QUESTIONS_2026_11_V1: readonly Question[] = [
  {
    id: 'q01',
    dimension: 'EI',
    direction: 'first',
    text: {
      en: 'I get energy from brainstorming out loud with colleagues.',
      fr: 'Réfléchir à voix haute avec mes collègues me donne de l’énergie.',
    },
  },
  {
    id: 'q02',
    dimension: 'SN',
    direction: 'first',
    text: {
      en: 'I trust facts and hands-on experience more than hunches.',
      fr: 'Je fais davantage confiance aux faits et à l’expérience concrète qu’aux intuitions.',
    },
  },
  {
    id: 'q03',
    dimension: 'TF',
    direction: 'first',
    text: {
      en: 'When I make a decision, logic matters more to me than how people will feel about it.',
      fr: 'Quand je prends une décision, la logique compte plus pour moi que la façon dont les autres la vivront.',
    },
  },
  {
    id: 'q04',
    dimension: 'JP',
    direction: 'first',
    text: {
      en: 'I like to plan my work well in advance and stick to the plan.',
      fr: 'J’aime planifier mon travail bien à l’avance et m’en tenir au plan.',
    },
  },
  {
    id: 'q05',
    dimension: 'EI',
    direction: 'second',
    text: {
      en: 'I do my best work when I can concentrate quietly, without interruptions.',
      fr: 'Je travaille le mieux quand je peux me concentrer au calme, sans interruptions.',
    },
  },
  {
    id: 'q06',
    dimension: 'SN',
    direction: 'second',
    text: {
      en: 'I enjoy imagining how things could work in the future more than handling how they work today.',
      fr: 'J’aime davantage imaginer comment les choses pourraient fonctionner demain que gérer la façon dont elles fonctionnent aujourd’hui.',
    },
  },
  {
    id: 'q07',
    dimension: 'TF',
    direction: 'second',
    text: {
      en: 'Before deciding, I consider how the decision will affect each person involved.',
      fr: 'Avant de trancher, je réfléchis à la manière dont la décision touchera chaque personne concernée.',
    },
  },
  {
    id: 'q08',
    dimension: 'JP',
    direction: 'second',
    text: {
      en: 'I work best under the pressure of an approaching deadline.',
      fr: 'Je travaille le mieux sous la pression d’une échéance qui approche.',
    },
  },
  {
    id: 'q09',
    dimension: 'EI',
    direction: 'first',
    text: {
      en: 'In meetings, I tend to speak up early and think as I talk.',
      fr: 'En réunion, j’ai tendance à prendre la parole tôt et à réfléchir en parlant.',
    },
  },
  {
    id: 'q10',
    dimension: 'SN',
    direction: 'first',
    text: {
      en: 'I prefer instructions that are precise and given step by step.',
      fr: 'Je préfère des consignes précises, données étape par étape.',
    },
  },
  {
    id: 'q11',
    dimension: 'TF',
    direction: 'first',
    text: {
      en: 'I can give critical feedback directly, even when it may upset someone.',
      fr: 'Je sais formuler une critique directement, même si elle risque de contrarier quelqu’un.',
    },
  },
  {
    id: 'q12',
    dimension: 'JP',
    direction: 'first',
    text: {
      en: 'I like decisions to be made and settled rather than left open.',
      fr: 'J’aime que les décisions soient prises et arrêtées plutôt que laissées en suspens.',
    },
  },
  {
    id: 'q13',
    dimension: 'EI',
    direction: 'second',
    text: {
      en: 'I prefer to think a question through before giving my opinion in a meeting.',
      fr: 'En réunion, je préfère bien réfléchir à une question avant de donner mon avis.',
    },
  },
  {
    id: 'q14',
    dimension: 'SN',
    direction: 'second',
    text: {
      en: 'Ideas, theories and patterns interest me more than practical details.',
      fr: 'Les idées, les théories et les grandes tendances m’intéressent davantage que les détails pratiques.',
    },
  },
  {
    id: 'q15',
    dimension: 'TF',
    direction: 'second',
    text: {
      en: 'Team harmony matters a lot to me, even if it means making compromises.',
      fr: 'L’harmonie au sein de l’équipe compte beaucoup pour moi, quitte à faire des compromis.',
    },
  },
  {
    id: 'q16',
    dimension: 'JP',
    direction: 'second',
    text: {
      en: 'I like to keep my options open and adapt as things develop.',
      fr: 'J’aime garder plusieurs options ouvertes et m’adapter au fil des événements.',
    },
  },
  {
    id: 'q17',
    dimension: 'EI',
    direction: 'first',
    text: {
      en: 'I enjoy meeting new clients or partners, even people I know nothing about.',
      fr: 'J’aime rencontrer de nouveaux clients ou partenaires, même des personnes dont je ne sais rien.',
    },
  },
  {
    id: 'q18',
    dimension: 'SN',
    direction: 'first',
    text: {
      en: 'I would rather improve a proven method than invent a new one.',
      fr: 'Je préfère améliorer une méthode qui a fait ses preuves plutôt que d’en inventer une nouvelle.',
    },
  },
  {
    id: 'q19',
    dimension: 'TF',
    direction: 'first',
    text: {
      en: 'A decision should apply the same rules to everyone, even when individual situations differ.',
      fr: 'Une décision doit appliquer les mêmes règles à tout le monde, même quand les situations individuelles diffèrent.',
    },
  },
  {
    id: 'q20',
    dimension: 'JP',
    direction: 'first',
    text: {
      en: 'I usually finish my tasks well before the deadline.',
      fr: 'Je termine généralement mes tâches bien avant l’échéance.',
    },
  },
  {
    id: 'q21',
    dimension: 'EI',
    direction: 'second',
    text: {
      en: 'I would rather communicate in writing than on a phone call.',
      fr: 'Je préfère communiquer par écrit plutôt que par téléphone.',
    },
  },
  {
    id: 'q22',
    dimension: 'SN',
    direction: 'second',
    text: {
      en: 'I often see connections between topics that seem unrelated to others.',
      fr: 'Je vois souvent des liens entre des sujets qui semblent sans rapport aux yeux des autres.',
    },
  },
  {
    id: 'q23',
    dimension: 'TF',
    direction: 'second',
    text: {
      en: 'When a choice is difficult, I let my personal values guide me.',
      fr: 'Quand un choix est difficile, je me laisse guider par mes valeurs personnelles.',
    },
  },
  {
    id: 'q24',
    dimension: 'JP',
    direction: 'second',
    text: {
      en: 'Unexpected changes to the plan stimulate me more than they bother me.',
      fr: 'Les changements de programme imprévus me stimulent plus qu’ils ne me dérangent.',
    },
  },
  {
    id: 'q25',
    dimension: 'EI',
    direction: 'first',
    text: {
      en: 'A day full of meetings and conversations gives me more energy than it takes.',
      fr: 'Une journée remplie de réunions et d’échanges me donne plus d’énergie qu’elle ne m’en prend.',
    },
  },
  {
    id: 'q26',
    dimension: 'SN',
    direction: 'first',
    text: {
      en: 'I notice details that others overlook, such as figures, dates or small errors.',
      fr: 'Je remarque des détails qui échappent aux autres, comme des chiffres, des dates ou de petites erreurs.',
    },
  },
  {
    id: 'q27',
    dimension: 'TF',
    direction: 'first',
    text: {
      en: 'In a discussion, I focus on spotting the flaws in the reasoning.',
      fr: 'Dans une discussion, je m’attache à repérer les failles du raisonnement.',
    },
  },
  {
    id: 'q28',
    dimension: 'JP',
    direction: 'first',
    text: {
      en: 'A clear to-do list and an organised workspace help me work well.',
      fr: 'Une liste de tâches claire et un espace de travail bien rangé m’aident à travailler efficacement.',
    },
  },
  {
    id: 'q29',
    dimension: 'EI',
    direction: 'second',
    text: {
      en: 'After a networking event, I need some quiet time to recharge.',
      fr: 'Après un événement de networking, j’ai besoin d’un moment au calme pour recharger mes batteries.',
    },
  },
  {
    id: 'q30',
    dimension: 'SN',
    direction: 'second',
    text: {
      en: 'When I read a report, I look for the big picture before the specifics.',
      fr: 'Quand je lis un rapport, je cherche la vue d’ensemble avant les détails.',
    },
  },
  {
    id: 'q31',
    dimension: 'TF',
    direction: 'second',
    text: {
      en: 'I quickly notice when a colleague is going through a hard time.',
      fr: 'Je remarque vite quand un collègue traverse une période difficile.',
    },
  },
  {
    id: 'q32',
    dimension: 'JP',
    direction: 'second',
    text: {
      en: 'I prefer to get started and work out the method along the way rather than plan everything first.',
      fr: 'Je préfère me lancer et trouver la méthode en chemin plutôt que tout planifier à l’avance.',
    },
  },
];

/** Every version that answers may have been given against, oldest first. */
export const QUESTION_CATALOGS: Readonly<Record<string, readonly Question[]>> = {
  [QUESTION_CATALOG_VERSION]: QUESTIONS_2026_11_V1,
};

/** The current catalog, the one new diagnostics are answered against. */
export const QUESTIONS: readonly Question[] = QUESTIONS_2026_11_V1;

export function questionsFor(version: string): readonly Question[] | undefined {
  // hasOwn: a version string such as "constructor" must not reach Object.prototype.
  return Object.hasOwn(QUESTION_CATALOGS, version) ? QUESTION_CATALOGS[version] : undefined;
}
