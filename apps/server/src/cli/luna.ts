import { rebuildLunaProjections } from '@phoenix/api';
import type { Config } from '@phoenix/config';
import { connect, migrateUp } from '@phoenix/db';

/**
 * `luna rebuild [--user ID]`: replays Luna's event streams into its read models, one
 * user per transaction, with a progress line after each.
 */
export async function lunaCommand(
  config: Config,
  subcommand: string | undefined,
  flags: Record<string, string | boolean | undefined>,
): Promise<number> {
  if (subcommand !== 'rebuild') {
    console.error('Usage: phoenix luna rebuild [--user ID]');
    return 2;
  }
  const userId = typeof flags.user === 'string' ? flags.user : undefined;
  const database = await connect({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolMax: 1,
    timeouts: config.database.timeouts,
  });
  try {
    await migrateUp(database.db);
    const started = performance.now();
    const result = await rebuildLunaProjections(database.db, config, {
      ...(userId ? { userId } : {}),
      onProgress: (p) => console.log(`luna rebuild: ${p.users}/${p.of} users, ${p.events} events`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `luna rebuild: done, ${result.users} users, ${result.events} events in ${seconds}s`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
