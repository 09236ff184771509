import type { Config } from '@phoenix/config';
import { migrateDown, migrateUp, migrationStatus } from '@phoenix/db';
import { openDatabase } from './database.ts';

export async function migrateCommand(config: Config, action: string): Promise<number> {
  const database = await openDatabase(config);
  try {
    switch (action) {
      case 'up': {
        const applied = await migrateUp(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
        return 0;
      }
      case 'down': {
        const reverted = await migrateDown(database.db);
        console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
        return 0;
      }
      case 'status': {
        for (const m of await migrationStatus(database.db)) {
          console.log(
            `${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}`,
          );
        }
        return 0;
      }
      default:
        console.error(`Unknown migrate action "${action}"; use up, down or status.`);
        return 2;
    }
  } finally {
    await database.close();
  }
}
