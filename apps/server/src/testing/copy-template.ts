import { cpSync } from 'node:fs';
import { inject } from 'vitest';
import type { PgliteTemplates } from './pglite-templates.ts';

/** A private copy of one of the run's PGlite templates at `target`; returns `target`. */
export function copyTemplate(kind: keyof PgliteTemplates, target: string): string {
  cpSync(inject('pgliteTemplates')[kind], target, { recursive: true });
  return target;
}
