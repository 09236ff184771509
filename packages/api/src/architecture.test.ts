import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import rule of docs/architecture.md, read from the sources (Biome's
 * noRestrictedImports cannot say "another domain only through its index.ts"):
 * - the core and platform/ import no domain and not the composition root;
 * - a domain reaches another domain only through that domain's `index.ts`.
 * Entries (`index.ts`, `http/index.ts`, `client-types.ts`, `retention.ts`, `templates.ts`), `root.ts`,
 * the test helpers
 * and tests outside domains compose the whole hub, so they may name any domain; a domain's
 * tests obey the domain rule.
 */
const SRC = import.meta.dirname;
const COMPOSERS = new Set([
  'root.ts',
  'index.ts',
  'http/index.ts',
  'client-types.ts',
  'retention.ts',
  'templates.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** Every relative import of a file, as a path under src/. */
export function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const spec = match[1];
    if (spec) found.push(relative(SRC, resolve(SRC, dirname(file), spec)));
  }
  return found;
}

const domainOf = (path: string): string | null =>
  path.startsWith('domains/') ? (path.split('/')[1] ?? null) : null;

const isComposer = (file: string) =>
  COMPOSERS.has(file) ||
  file.startsWith('testing/') ||
  file.startsWith('fuzz/') ||
  file === 'architecture.test.ts';

/** What breaks the rule in one file's imports, as "file -> import" lines. */
export function violations(file: string, imports: readonly string[]): string[] {
  const own = domainOf(file);
  const isTest = file.endsWith('.test.ts');
  return imports
    .filter((target) => {
      const theirs = domainOf(target);
      if (own === null) {
        if (isComposer(file) || isTest) return false;
        return theirs !== null || target === 'root.ts';
      }
      return theirs !== null && theirs !== own && !isDomainIndex(target);
    })
    .map((target) => `${file} -> ${target}`);
}

const isDomainIndex = (path: string) => /^domains\/[^/]+\/index\.ts$/.test(path);

describe('architecture', () => {
  it('keeps the core and platform free of domains, and domains behind their index.ts', () => {
    const broken = sources(SRC).flatMap((file) =>
      violations(file, importsOf(file, readFileSync(join(SRC, file), 'utf8'))),
    );
    expect(broken).toEqual([]);
  });

  it('every domain has an index.ts', () => {
    const domains = readdirSync(join(SRC, 'domains'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const files = new Set(sources(SRC));
    expect(domains.filter((name) => !files.has(`domains/${name}/index.ts`))).toEqual([]);
  });

  it('names what breaks the rule', () => {
    expect(violations('http/app.ts', ['domains/system/service.ts'])).toHaveLength(1);
    expect(violations('platform/alerts.ts', ['root.ts'])).toHaveLength(1);
    expect(violations('domains/aube/x.ts', ['domains/gateway/service.ts'])).toHaveLength(1);
    expect(violations('domains/aube/x.ts', ['domains/gateway/index.ts'])).toEqual([]);
    expect(violations('domains/aube/x.ts', ['domains/aube/catalog/careers.ts'])).toEqual([]);
    expect(violations('root.ts', ['domains/gateway/router.ts'])).toEqual([]);
  });
});
