import type { ChampionStatus, ChampionStep } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AppDeps } from '../../context.ts';
import type { Progress } from './schemas.ts';

/** The analysis steps, in order. A pasted transcript starts with `transcribe` done. */
export const STEPS: readonly ChampionStep[] = ['transcribe', 'diarize', 'extract', 'embed'];

/** The status a champion shows while a step runs. */
export function stepStatus(step: ChampionStep): ChampionStatus {
  return step === 'transcribe' ? 'transcribing' : 'analyzing';
}

/** Percent done when `done` steps have finished. */
export function progressOf(done: number): number {
  return Math.round((Math.min(done, STEPS.length) / STEPS.length) * 100);
}

const channel = (championId: string) => `champion:progress:${championId}`;

/**
 * Tells subscribers of `champions.progress` (in any process, over the kv's pub/sub) that
 * the champion's row changed; they read it again. Best effort: subscribers also re-read on
 * a timer, so a lost message only delays an update.
 */
export async function publishProgress(deps: Pick<AppDeps, 'kv' | 'log'>, championId: string) {
  try {
    await deps.kv.publish(channel(championId), '1');
  } catch (error) {
    deps.log.warn({ err: error, championId }, 'champion: progress not published');
  }
}

async function readProgress(deps: Pick<AppDeps, 'db'>, userId: string, id: string) {
  return deps.db
    .selectFrom('champions')
    .select(['status', 'progress', 'currentStep', 'failureReason', 'updatedAt'])
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

const FINAL: ReadonlySet<ChampionStatus> = new Set(['ready', 'failed', 'uploaded']);
/** How often a subscriber re-reads the row without being told (a lost message, no Redis). */
const REREAD_MS = 2_000;

/**
 * The champion's status and progress now, then each change, until it is `ready`,
 * `failed` (or `uploaded`: nothing is running). Woken by `publishProgress`, re-reading
 * the row on a timer as well.
 */
export async function* progressStream(
  deps: Pick<AppDeps, 'db' | 'kv' | 'log'>,
  request: { userId: string; championId: string; signal?: AbortSignal | undefined },
): AsyncGenerator<Progress> {
  const { userId, championId, signal } = request;
  let wake: (() => void) | undefined;
  const unsubscribe = await deps.kv
    .subscribe(channel(championId), () => wake?.())
    .catch((error: unknown) => {
      deps.log.warn({ err: error }, 'champion: progress subscription without pub/sub');
      return async () => undefined;
    });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let last = '';
    for (;;) {
      const row = await readProgress(deps, userId, championId);
      if (!row) throw notFound('Champion', { field: 'championId' });
      const key = `${row.status}|${row.progress}|${row.currentStep}|${row.failureReason}`;
      if (key !== last) {
        last = key;
        yield row;
      }
      if (FINAL.has(row.status) || signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, REREAD_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await unsubscribe();
  }
}
