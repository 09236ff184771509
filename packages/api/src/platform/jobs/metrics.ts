import { type Database, type Kysely, sql } from '@phoenix/db';
import { Gauge, type Registry } from 'prom-client';
import type { Jobs } from './queue.ts';

const STATES = ['created', 'retry', 'active', 'failed'] as const;

/**
 * Queue depth by queue and state, read from pg-boss's job table when scraped (so every
 * process reports the cluster's depth, not its own).
 */
export function registerJobMetrics(registry: Registry, db: Kysely<Database>, jobs: Jobs): void {
  new Gauge({
    name: 'phoenix_jobs',
    help: 'Jobs by queue and state (created and retry are waiting; failed is the dead-letter state)',
    labelNames: ['name', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // A scrape must not fail because the queue is not installed yet.
      const rows = await depth(db, jobs.schema).catch(() => []);
      for (const row of rows) this.set({ name: row.name, state: row.state }, row.count);
    },
  });
}

async function depth(db: Kysely<Database>, schema: string) {
  const { rows } = await sql<{ name: string; state: string; count: number }>`
        select name, state::text as state, count(*)::int as count
        from ${sql.table(`${schema}.job`)}
        where state::text in (${sql.join(STATES.map((state) => sql.lit(state)))})
        group by name, state
      `.execute(db);
  return rows;
}
