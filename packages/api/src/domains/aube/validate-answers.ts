import { invalid } from '@phoenix/errors';
import { QUESTION_CATALOGS, questionsFor } from './catalog/questions.ts';
import { LIKERT_MAX, LIKERT_MIN, type Question } from './model.ts';

// Ids come from the caller; an absurdly long one must not be echoed back in full.
const MAX_ECHOED_ID = 32;

/**
 * Checks that `answers` is one complete answer set for catalog `version` and returns
 * that catalog's questions. Answers arrive as a record keyed by question id, so a
 * question cannot be answered twice; what remains is: known version, no unknown id,
 * every value an integer 1..5, no question left out.
 *
 * Throws `invalid` with `field` naming the offending input (`catalogVersion` or
 * `answers.<id>`) so the client can point at the exact question.
 */
export function assertCompleteAnswers(
  answers: Readonly<Record<string, number>>,
  version: string,
): readonly Question[] {
  const questions = questionsFor(version);
  if (questions === undefined) {
    const known = Object.keys(QUESTION_CATALOGS).join(', ');
    throw invalid(
      `Unknown question catalog version "${version.slice(0, MAX_ECHOED_ID)}"; answers must be given against one of: ${known}`,
      { reason: 'CATALOG_VERSION_MISMATCH', field: 'catalogVersion' },
    );
  }

  const ids = new Set(questions.map((question) => question.id));
  for (const [id, value] of Object.entries(answers)) {
    const shown = id.slice(0, MAX_ECHOED_ID);
    if (!ids.has(id)) {
      throw invalid(`Question "${shown}" is not part of catalog ${version}`, {
        reason: 'UNKNOWN_QUESTION',
        field: `answers.${shown}`,
      });
    }
    if (!Number.isInteger(value) || value < LIKERT_MIN || value > LIKERT_MAX) {
      throw invalid(
        `The answer to ${id} must be a whole number from ${LIKERT_MIN} to ${LIKERT_MAX}`,
        { reason: 'ANSWER_OUT_OF_RANGE', field: `answers.${id}` },
      );
    }
  }

  // Catalog order, so the first gap reported is the first one the user would meet.
  const missing = questions.filter((question) => !Object.hasOwn(answers, question.id));
  const [first] = missing;
  if (first !== undefined) {
    throw invalid(
      `Question ${first.id} is unanswered (${missing.length} of ${questions.length} missing); every question must be answered`,
      { reason: 'INCOMPLETE_ANSWERS', field: `answers.${first.id}` },
    );
  }
  return questions;
}
