import type { ChampionStatus, ChampionStep } from '@phoenix/db';
import { DomainError, notFound } from '@phoenix/errors';
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
 * A stream ends after this even while the analysis runs on (a stuck job is failed by its
 * own deadline, but nothing here depends on it): the client follows again if it still cares.
 */
export const PROGRESS_MAX_MS = 30 * 60_000;
/** Streams one user may follow at once in one process: each re-reads its row every 2 s. */
export const PROGRESS_STREAMS_PER_USER = 5;

/** Streams followed per user, per app (its kv): one process may serve several apps in tests. */
const following = new WeakMap<object, Map<string, number>>();

/** Counts one more stream for `userId`, or refuses it; the answer gives the slot back. */
function takeStreamSlot(app: object, userId: string): () => void {
  let byUser = following.get(app);
  if (!byUser) {
    byUser = new Map();
    following.set(app, byUser);
  }
  const held = byUser.get(userId) ?? 0;
  if (held >= PROGRESS_STREAMS_PER_USER) {
    throw new DomainError(
      'rate_limited',
      `At most ${PROGRESS_STREAMS_PER_USER} progress streams at once; close one first`,
      { reason: 'TOO_MANY_STREAMS', retryAfterSeconds: REREAD_MS / 1000 },
    );
  }
  byUser.set(userId, held + 1);
  const users = byUser;
  return () => {
    const left = (users.get(userId) ?? 1) - 1;
    if (left > 0) users.set(userId, left);
    else users.delete(userId);
  };
}

/**
 * The champion's status and progress now, then each change, until it is `ready`,
 * `failed` (or `uploaded`: nothing is running). Woken by `publishProgress`, re-reading
 * the row on a timer as well.
 */
export async function* progressStream(
  deps: Pick<AppDeps, 'db' | 'kv' | 'log' | 'clock'>,
  request: { userId: string; championId: string; signal?: AbortSignal | undefined },
): AsyncGenerator<Progress> {
  const { userId, championId, signal } = request;
  const giveBack = takeStreamSlot(deps.kv, userId);
  const endsAt = deps.clock.now() + PROGRESS_MAX_MS;
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
      const left = endsAt - deps.clock.now();
      if (FINAL.has(row.status) || signal?.aborted || left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(REREAD_MS, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    giveBack();
    signal?.removeEventListener('abort', onAbort);
    await unsubscribe();
  }
}
