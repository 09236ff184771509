import { QUESTION_CATALOG_VERSION, QUESTIONS } from './catalog/questions.ts';
import { localize } from './locale.ts';
import { LIKERT_MAX, LIKERT_MIN } from './model.ts';
import type { AubeLocale, QuestionCatalog } from './schemas.ts';

/**
 * The current catalog in one language. Item directions stay server-side: showing which
 * pole a question scores toward would invite answering for a type.
 */
export function questionCatalog(locale: AubeLocale): QuestionCatalog {
  return {
    catalogVersion: QUESTION_CATALOG_VERSION,
    locale,
    scale: { min: LIKERT_MIN, max: LIKERT_MAX },
    items: QUESTIONS.map((q) => ({
      id: q.id,
      dimension: q.dimension,
      text: localize(q.text, locale),
    })),
  };
}
