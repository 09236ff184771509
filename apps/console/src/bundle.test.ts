import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built console (turbo builds it before its tests): what a browser downloads.
const dist = resolve(import.meta.dirname, '../dist');

/** Packages of the server side: none of them may reach a browser. */
const SERVER_PACKAGES = [
  '@phoenix/api',
  '@phoenix/auth',
  '@phoenix/config',
  '@phoenix/db',
  '@phoenix/errors',
  '@phoenix/gateway',
  '@phoenix/kv',
  'kysely',
  'pg',
  'pg-boss',
  'ioredis',
  'pino',
  'hono',
  '@hono/node-server',
  '@electric-sql/pglite',
  'prom-client',
  'nodemailer',
  'zod',
  '@trpc/server/adapters',
];

/** `.../node_modules/.pnpm/x/node_modules/@scope/name/...` -> `@scope/name`. */
function packageOf(id: string): string | undefined {
  const parts = id.split(/[\\/]node_modules[\\/]/);
  const last = parts.at(-1);
  if (parts.length < 2 || !last) return undefined;
  const segments = last.split(/[\\/]/);
  return last.startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0];
}

describe('the built console bundle', () => {
  const modules: string[] = JSON.parse(readFileSync(join(dist, '.vite/modules.json'), 'utf8'));

  it('bundles no server package', () => {
    expect(modules.length).toBeGreaterThan(100);
    const packages = new Set(modules.map(packageOf).filter((p) => p !== undefined));
    expect(packages).toContain('react');
    for (const name of SERVER_PACKAGES) expect(packages.has(name), name).toBe(false);
  });

  it('takes from the workspace only its own code and the SDK', () => {
    const workspace = modules
      .filter((id) => !id.includes(`node_modules${sep}`) && !id.startsWith('\0'))
      .map((id) => id.split(sep).slice(0, 2).join('/'));
    expect(new Set(workspace)).toEqual(new Set(['apps/console', 'packages/sdk']));
  });

  it('names no server package or Node built-in in the shipped JavaScript', () => {
    const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    for (const file of assets) {
      const code = readFileSync(join(dist, 'assets', file), 'utf8');
      expect(code, file).not.toMatch(
        /@phoenix\/(api|db|kv|auth|config|gateway|errors)|from"node:|kysely|ioredis/,
      );
    }
  });
});
