import { startWorker } from '@phoenix/api';
import type { Config } from '@phoenix/config';
import { migrateUp } from '@phoenix/db';
import { openRuntime } from '../runtime.ts';

/**
 * `worker`: runs jobs and the cron schedules, serves no HTTP. For deployments that run
 * workers apart from the API processes (then `WORKER_IN_PROCESS=false` on those).
 * Returns -1 so the CLI leaves the exit to the shutdown.
 */
export async function workerCommand(config: Config): Promise<number> {
  const runtime = await openRuntime(config);
  const { deps } = runtime;
  await migrateUp(deps.db);
  await deps.jobs.start({ maintenance: true });
  const worker = await startWorker(deps);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      deps.log.info({ reason: signal }, 'stopping the worker: finishing running jobs');
      worker
        .stop({ timeoutMs: config.http.shutdownTimeoutMs })
        .then(() => runtime.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            deps.log.error({ err: error }, 'worker shutdown failed');
            process.exit(1);
          },
        );
    });
  }
  console.log(`Phoenix Hub worker running (${runtime.database.kind}); Ctrl-C to stop.`);
  return -1;
}
