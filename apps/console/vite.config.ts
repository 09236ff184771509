import { relative, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defaultClientConditions, defineConfig } from 'vite';

/** The hub the dev server forwards API calls to (`pnpm --filter @phoenix/console dev`). */
const hub = process.env.PHOENIX_HUB_URL ?? 'http://127.0.0.1:3000';

/**
 * Writes `dist/.vite/modules.json`: every source module in the bundle, so a test can prove
 * that nothing of the server (its packages, or workspace code other than the SDK) is in it.
 */
function listModules(): Plugin {
  return {
    name: 'phoenix-list-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      // Relative to the repository: no path of the build machine ships with the files.
      const root = resolve(import.meta.dirname, '../..');
      const modules = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of Object.keys(output.modules)) modules.add(relative(root, id));
      }
      this.emitFile({
        type: 'asset',
        fileName: '.vite/modules.json',
        source: JSON.stringify([...modules].sort(), null, 1),
      });
    },
  };
}

export default defineConfig({
  // Served by the hub under /console (see packages/api/src/http/console.ts).
  base: '/console/',
  plugins: [react(), listModules()],
  resolve: {
    // The SDK from its sources: no SDK build needed before the console's. Its types come
    // from @phoenix/api only as types, erased here (the bundle test checks it).
    conditions: ['@phoenix/source', ...defaultClientConditions],
  },
  build: {
    target: 'es2022',
    manifest: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: hub, changeOrigin: true },
      '/admin': { target: hub, changeOrigin: true },
    },
  },
});
