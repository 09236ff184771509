import type { AppDeps } from '../../context.ts';
import { limitUserCall } from '../../platform/rate-limits.ts';

type LimitDeps = Pick<AppDeps, 'kv' | 'config'>;

/** Uploads of recordings: CHAMPION_UPLOADS_PER_HOUR per user (for the upload door). */
export function limitChampionUploads(deps: LimitDeps, userId: string): Promise<void> {
  const points = deps.config.champion.rateLimits.uploadsPerHour;
  return limitUserCall(deps, { name: 'champion:upload', points, durationSeconds: 3_600 }, userId);
}

/** `champions.analyze`: CHAMPION_ANALYSES_PER_HOUR per user. */
export function limitAnalyses(deps: LimitDeps, userId: string): Promise<void> {
  const points = deps.config.champion.rateLimits.analysesPerHour;
  return limitUserCall(deps, { name: 'champion:analyze', points, durationSeconds: 3_600 }, userId);
}

/** Every `training.*` call that acts: CHAMPION_TRAINING_CALLS_PER_MINUTE per user. */
export function limitTraining(deps: LimitDeps, userId: string): Promise<void> {
  const points = deps.config.champion.rateLimits.trainingCallsPerMinute;
  return limitUserCall(deps, { name: 'champion:training', points, durationSeconds: 60 }, userId);
}
