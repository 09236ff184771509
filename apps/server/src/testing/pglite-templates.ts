import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateUp } from '@phoenix/db';
import type { TestProject } from 'vitest/node';

export interface PgliteTemplates {
  /** A data folder PGlite has initialised, with no migration applied. */
  empty: string;
  /** The same, with every migration applied. */
  migrated: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: PgliteTemplates;
  }
}

/**
 * vitest globalSetup: builds each PGlite data folder once per run. A fresh folder costs
 * PGlite an initdb and the hub every migration, seconds on a loaded 2-core machine; the
 * CLI tests copy these instead (`copyTemplate`) so each spawned command starts from a
 * folder as a user's second run would, and only the test about a fresh folder pays.
 */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'phoenix-pglite-templates-'));
  const templates: PgliteTemplates = {
    empty: join(root, 'empty'),
    migrated: join(root, 'migrated'),
  };
  await (await connect({ dataDir: templates.empty })).close();
  // A copy rather than a second initdb: half the setup time on a loaded machine.
  cpSync(templates.empty, templates.migrated, { recursive: true });
  const migrated = await connect({ dataDir: templates.migrated });
  try {
    await migrateUp(migrated.db);
  } finally {
    await migrated.close();
  }
  project.provide('pgliteTemplates', templates);
  return () => rmSync(root, { recursive: true, force: true });
}
