import type { Config } from '@phoenix/config';
import { DEMO_USER, ensureDemoUser } from '../accounts.ts';
import { guardProcess } from '../process-guards.ts';
import { openRuntime } from '../runtime.ts';
import { startServer } from '../serve.ts';

/** Serves until SIGTERM/SIGINT; returns -1 so the CLI leaves the exit to the shutdown. */
export async function startCommand(config: Config): Promise<number> {
  const runtime = await openRuntime(config);
  const { log } = runtime.deps;
  const server = await startServer(runtime);
  const stop = (reason: string) => {
    server.shutdown(reason).then(
      () => process.exit(),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));
  guardProcess(log, stop);
  // Embedded default only: a ready account to try the API with. Never on a real database.
  const offerDemo = runtime.database.kind === 'pglite';
  if (offerDemo) await ensureDemoUser(runtime.deps.db);
  const storage =
    runtime.database.kind === 'pglite'
      ? `embedded PGlite in ${runtime.database.location}`
      : `Postgres at ${runtime.database.location}`;
  log.info(
    {
      url: server.url,
      database: runtime.database.kind,
      kv: runtime.deps.kv.kind,
      node: process.version,
    },
    'listening',
  );
  console.log(`\nPhoenix Hub is listening on ${server.url}`);
  console.log(`  database: ${storage}`);
  console.log(`  kv:       ${runtime.deps.kv.kind === 'redis' ? 'Redis' : 'in-process memory'}`);
  console.log(`  health:   ${server.url}/readyz    metrics: ${server.url}/metrics`);
  if (offerDemo) console.log(`  demo:     ${DEMO_USER.email} / ${DEMO_USER.password}`);
  console.log('');
  return -1;
}
