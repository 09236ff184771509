import { setTimeout } from 'node:timers/promises';
import type { AubeRecommendationRow, NewAubeRecommendationRow } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';
import { recordActivity } from '../../platform/activity.ts';
import { completeChat, type Payer } from '../gateway/index.ts';
import { requireLatestDiagnostic } from './diagnostics.service.ts';
import { localizeMatches } from './matches.service.ts';
import { matchCareers } from './matching.ts';
import { PLAN_CAREERS, planMessages, planSteps } from './recommendation-prompt.ts';
import {
  type AubeLocale,
  type Diagnostic,
  type Recommendation,
  recommendationSchema,
} from './schemas.ts';

// Whatever the gateway needs, so a change to its dependencies flows through unchanged.
type Deps = Parameters<typeof completeChat>[0];

const ROUTE = 'chat.default';
const MAX_TOKENS = 700;
const TEMPERATURE = 0.4;

function toRecommendation(
  row: AubeRecommendationRow,
  diagnostic: Diagnostic,
  stored: boolean,
): Recommendation {
  return recommendationSchema.parse({ ...row, type: diagnostic.type, stored });
}

async function generate(
  deps: Deps,
  payer: Payer,
  {
    diagnostic,
    locale,
    idempotencyKey,
  }: { diagnostic: Diagnostic; locale: AubeLocale; idempotencyKey?: string },
): Promise<NewAubeRecommendationRow> {
  const matches = localizeMatches(matchCareers(diagnostic.scores, { limit: PLAN_CAREERS }), locale);
  const chat = await completeChat(deps, payer, {
    route: ROUTE,
    messages: planMessages(diagnostic, matches, locale),
    maxTokens: MAX_TOKENS,
    temperature: TEMPERATURE,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  return {
    diagnosticId: diagnostic.id,
    userId: payer.userId,
    locale,
    text: chat.text.trim(),
    steps: JSON.stringify(planSteps(matches, locale)),
    provider: chat.provider,
    model: chat.model,
  };
}

async function storedFor(
  deps: Deps,
  diagnosticId: string,
): Promise<AubeRecommendationRow | undefined> {
  return deps.db
    .selectFrom('aubeRecommendations')
    .selectAll()
    .where('diagnosticId', '=', diagnosticId)
    .executeTakeFirst();
}

/**
 * The plan for the caller's latest diagnostic. Generated (and paid for) once per
 * diagnostic, then served from storage: later calls never reach the gateway. The plan
 * keeps the locale it was written in; `regenerateRecommendation` rewrites it.
 */
export async function getRecommendation(
  deps: Deps,
  payer: Payer,
  options: {
    locale: AubeLocale;
    /** Asked before a plan is written (and paid for): the caller may refuse there. */
    beforeGenerating?: () => Promise<void>;
  },
): Promise<Recommendation> {
  const { locale, beforeGenerating } = options;
  const diagnostic = await requireLatestDiagnostic(deps.db, payer.userId);
  const existing = await storedFor(deps, diagnostic.id);
  if (existing) return toRecommendation(existing, diagnostic, true);
  await beforeGenerating?.();

  // One paid call per diagnostic's first plan: a read retried after the plan failed to be
  // stored replays the paid answer, and of two first reads at once the second waits for the
  // first's plan (or, if the first's process stopped mid-call, asks again unkeyed: the
  // abandoned-call sweep refunds the stopped call).
  const first = await generate(deps, payer, {
    diagnostic,
    locale,
    idempotencyKey: `aube-plan:${diagnostic.id}`,
  }).then(
    (values): FirstPlan => ({ values }),
    async (error: unknown): Promise<FirstPlan> => {
      if (!(error instanceof DomainError && error.reason === 'IDEMPOTENCY_IN_PROGRESS')) {
        throw error;
      }
      const stored = await planStoredWithin(deps, diagnostic.id, FIRST_PLAN_WAIT_MS);
      return stored ? { stored } : { values: await generate(deps, payer, { diagnostic, locale }) };
    },
  );
  if ('stored' in first) return toRecommendation(first.stored, diagnostic, true);
  const { values } = first;
  const inserted = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('aubeRecommendations')
      .values(values)
      // Two first calls racing: the first insert wins and both return its row.
      .onConflict((oc) => oc.column('diagnosticId').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await recordActivity(trx, {
        userId: payer.userId,
        action: 'aube.recommendations.generated',
        resourceId: diagnostic.id,
      });
    }
    return row;
  });
  if (inserted) return toRecommendation(inserted, diagnostic, false);
  const winner = await storedFor(deps, diagnostic.id);
  if (!winner) throw new Error('recommendation vanished after a conflicting insert');
  return toRecommendation(winner, diagnostic, true);
}

/** A first plan: written by this read, or stored by another one meanwhile. */
type FirstPlan = { values: NewAubeRecommendationRow } | { stored: AubeRecommendationRow };

/** How long a first read waits for another read's plan before asking on its own. */
const FIRST_PLAN_WAIT_MS = 5_000;

/** The diagnostic's stored plan once there is one, polled for at most `ms`; else null. */
async function planStoredWithin(
  deps: Deps,
  diagnosticId: string,
  ms: number,
): Promise<AubeRecommendationRow | null> {
  const until = Date.now() + ms;
  for (;;) {
    const stored = await storedFor(deps, diagnosticId);
    if (stored) return stored;
    if (Date.now() >= until) return null;
    await setTimeout(100);
  }
}

/** Writes a fresh plan for the latest diagnostic (one more gateway call), replacing the stored one. */
export async function regenerateRecommendation(
  deps: Deps,
  payer: Payer,
  locale: AubeLocale,
): Promise<Recommendation> {
  const diagnostic = await requireLatestDiagnostic(deps.db, payer.userId);
  const values = await generate(deps, payer, { diagnostic, locale });
  const row = await deps.db.transaction().execute(async (trx) => {
    const saved = await trx
      .insertInto('aubeRecommendations')
      .values(values)
      .onConflict((oc) =>
        oc.column('diagnosticId').doUpdateSet({
          locale: values.locale,
          text: values.text,
          steps: values.steps,
          provider: values.provider,
          model: values.model,
          generatedAt: new Date(),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordActivity(trx, {
      userId: payer.userId,
      action: 'aube.recommendations.regenerated',
      resourceId: diagnostic.id,
    });
    return saved;
  });
  return toRecommendation(row, diagnostic, false);
}
