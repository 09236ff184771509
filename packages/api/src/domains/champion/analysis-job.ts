import { sql } from '@phoenix/db';
import { DomainError } from '@phoenix/errors';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { defineJob, type JobRun } from '../../platform/jobs/index.ts';
import { progressOf, publishProgress, STEPS, stepStatus } from './progress.ts';
import { STEP_RUNNERS, type StepContext, StepFailure } from './steps.ts';
import { InputTooLong, InvalidModelOutput } from './structured.ts';

/** A failure the analysis raises itself, whose message is written for the user. */
const isAnalysisFailure = (error: unknown): error is Error =>
  error instanceof StepFailure ||
  error instanceof InvalidModelOutput ||
  error instanceof InputTooLong;

/** Failures that a retry of the same step cannot fix: the champion fails at once. */
function isPermanent(error: unknown): boolean {
  if (isAnalysisFailure(error)) return true;
  return (
    error instanceof DomainError &&
    (error.kind === 'invalid' ||
      error.kind === 'insufficient_credits' ||
      error.kind === 'not_found')
  );
}

function reasonOf(error: unknown): string {
  if (isAnalysisFailure(error) || error instanceof DomainError) return error.message;
  return 'the analysis failed; analyse again to retry';
}

/**
 * Runs the analysis steps that have not succeeded yet, in order. Each step stores its
 * output with its step row in one transaction, so a retried job (a failed step, a crash,
 * a restart mid-analysis) starts at the first step without a row and never repeats a
 * step that succeeded. A failure a retry cannot fix, or the last retry's failure, fails
 * the champion with the reason; `champions.analyze` then resumes from that step.
 */
export async function runAnalysis(deps: AppDeps, championId: string, run: JobRun): Promise<void> {
  const champion = await deps.db
    .selectFrom('champions')
    .innerJoin('users', 'users.id', 'champions.userId')
    .select([
      'champions.id',
      'champions.userId',
      'champions.source',
      'champions.recordingKey',
      'champions.status',
      'users.tier',
    ])
    .where('champions.id', '=', championId)
    .executeTakeFirst();
  // Deleted, or not waiting for an analysis (a stale duplicate of a finished job).
  if (!champion || (champion.status !== 'transcribing' && champion.status !== 'analyzing')) return;
  const ctx: StepContext = {
    deps,
    payer: { userId: champion.userId, apiKeyId: null, tier: champion.tier },
    champion,
    runId: run.id,
  };
  const doneRows = await deps.db
    .selectFrom('championAnalysisSteps')
    .select('step')
    .where('championId', '=', championId)
    .execute();
  const done = new Set(doneRows.map((r) => r.step));

  for (const step of STEPS) {
    if (done.has(step)) continue;
    const moved = await deps.db
      .updateTable('champions')
      .set({
        status: stepStatus(step),
        currentStep: step,
        progress: progressOf(done.size),
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', championId)
      .where('status', 'in', ['transcribing', 'analyzing'])
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    await publishProgress(deps, championId);
    try {
      await STEP_RUNNERS[step](ctx);
    } catch (error) {
      const lastTry = run.retryCount >= deps.jobs.retryPolicy(analyzeChampionJob).limit;
      if (!isPermanent(error) && !lastTry) throw error;
      deps.log.warn({ err: error, championId, step }, 'champion: analysis failed');
      await deps.db
        .updateTable('champions')
        .set({ status: 'failed', failureReason: reasonOf(error), updatedAt: sql<Date>`now()` })
        .where('id', '=', championId)
        .where('status', 'in', ['transcribing', 'analyzing'])
        .execute();
      await publishProgress(deps, championId);
      return;
    }
    done.add(step);
  }
  await deps.db
    .updateTable('champions')
    .set({
      status: 'ready',
      progress: 100,
      currentStep: null,
      failureReason: null,
      analyzedAt: sql<Date>`now()`,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', championId)
    .where('status', 'in', ['transcribing', 'analyzing'])
    .execute();
  await publishProgress(deps, championId);
}

/** `champions.analyze`: durable, retried with backoff, resumed after a restart. */
export const analyzeChampionJob = defineJob({
  name: 'champion.analyze',
  payload: z.object({ championId: z.uuid() }),
  retry: { limit: 3 },
  timeoutSeconds: 30 * 60,
  handler: (deps, payload, run) => runAnalysis(deps, payload.championId, run),
});
