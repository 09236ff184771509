import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  platform: 'neutral',
  fixedExtension: false,
  target: 'es2022',
  clean: true,
  // Only what a client needs stays external; the router type from @phoenix/api and the
  // reason list from @phoenix/errors (a file that imports nothing) are inlined into the
  // bundle and its .d.ts, so consumers never install a server package.
  external: ['@trpc/client', '@trpc/server', 'eventsource', 'superjson'],
  noExternal: ['@phoenix/api/client', '@phoenix/errors/reasons'],
  dts: { resolve: ['@phoenix/api/client', '@phoenix/errors/reasons'] },
  // Server modules reached only for their types must leave no `import 'x'` behind.
  treeshake: { moduleSideEffects: false },
});
