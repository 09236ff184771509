import { rebuildLunaProjections } from '@phoenix/api';
import type { Config } from '@phoenix/config';
import { withDatabase } from './database.ts';

/**
 * `luna rebuild [--user ID]`: replays Luna's event streams into fresh read-model tables
 * swapped in at the end (or one user's in place, in one transaction), with a progress
 * line after each user.
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
  return withDatabase(config, async (db) => {
    const started = performance.now();
    const result = await rebuildLunaProjections(db, config, {
      ...(userId ? { userId } : {}),
      onProgress: (p) => console.log(`luna rebuild: ${p.users}/${p.of} users, ${p.events} events`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const caughtUp = result.caughtUp ? `, ${result.caughtUp} caught up before the swap` : '';
    console.log(
      `luna rebuild: done, ${result.users} users, ${result.events} events in ${seconds}s${caughtUp}`,
    );
    return 0;
  });
}
