import { createRequire } from 'node:module';
import { type Database, type Kysely, sql } from '@phoenix/db';
import type { Kv } from '@phoenix/kv';
import { z } from 'zod';
import type { DependencyHealth, Health, VersionInfo } from './schemas.ts';

// Read at run time rather than imported: a type-level import of @phoenix/sdk would make
// the api and SDK type-check projects reference each other, and references must not cycle.
const sdkPackage = z
  .object({ version: z.string() })
  .parse(createRequire(import.meta.url)('@phoenix/sdk/package.json'));

// Readiness must answer even when a store is silent, and before a load balancer gives up.
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, latencyMs: elapsed(started), error: null };
  } catch (error) {
    // Only the error class and message: a driver error can carry a connection string.
    const message =
      error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'unreachable';
    return {
      ok: false,
      latencyMs: elapsed(started),
      error: message.replace(/\/\/[^@\s]*@/g, '//***@'),
    };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

export async function checkHealth(deps: { db: Kysely<Database>; kv: Kv }): Promise<Health> {
  const [database, kv] = await Promise.all([
    probe(() => sql`select 1`.execute(deps.db)),
    probe(() => deps.kv.ping()),
  ]);
  const down = [...(database.ok ? [] : ['database' as const]), ...(kv.ok ? [] : ['kv' as const])];
  return {
    status: down.length === 0 ? 'ok' : 'degraded',
    down,
    database,
    kv: { ...kv, kind: deps.kv.kind },
  };
}

export const VERSION = '0.1.0';

export function versionInfo(): VersionInfo {
  return {
    name: 'phoenix-hub',
    version: VERSION,
    node: process.version,
    sdkVersion: sdkPackage.version,
  };
}
